//! PEM keys for bundle signatures: RSA (RS256) and EC P-256 (ES256), as OPA's `--signing-key`
//! and `--verification-key` accept them.

use p256::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};

/// A JWS algorithm this module signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// ECDSA on P-256 with SHA-256, the signature as `r || s`.
    Es256,
}

impl Algorithm {
    /// The JWS `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Es256 => "ES256",
        }
    }
}

pub enum SigningKey {
    Rsa(Box<rsa::PrivateKey>),
    Ec(Box<p256::ecdsa::SigningKey>),
}

pub enum VerifyingKey {
    Rsa(Box<rsa::PublicKey>),
    Ec(Box<p256::ecdsa::VerifyingKey>),
}

impl SigningKey {
    pub fn algorithm(&self) -> Algorithm {
        match self {
            SigningKey::Rsa(_) => Algorithm::Rs256,
            SigningKey::Ec(_) => Algorithm::Es256,
        }
    }

    /// The JWS signature of `input`: deterministic for both algorithms (PKCS#1 v1.5 has no
    /// randomness; ECDSA takes its nonce from RFC 6979).
    pub fn sign(&self, input: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            SigningKey::Rsa(key) => key
                .pkcs1v15_sign::<sha2::Sha256>(input)
                .map_err(|e| format!("RSA signing failed: {e}")),
            SigningKey::Ec(key) => {
                use p256::ecdsa::signature::Signer;
                let signature: p256::ecdsa::Signature = key
                    .try_sign(input)
                    .map_err(|e| format!("ECDSA signing failed: {e}"))?;
                Ok(signature.to_bytes().to_vec())
            }
        }
    }
}

impl SigningKey {
    /// A DSSE signature of `input` (`charter build --attest`): as [`SigningKey::sign`] for RSA,
    /// and for EC the ECDSA signature in ASN.1 DER, as `cryptography`, securesystemslib and
    /// cosign write and read it in DSSE envelopes.
    pub fn sign_dsse(&self, input: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            SigningKey::Rsa(_) => self.sign(input),
            SigningKey::Ec(key) => {
                use p256::ecdsa::signature::Signer;
                let signature: p256::ecdsa::Signature = key
                    .try_sign(input)
                    .map_err(|e| format!("ECDSA signing failed: {e}"))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}

impl VerifyingKey {
    /// Whether `signature` is this key's DSSE signature of `input`: PKCS#1 v1.5 for RSA; for
    /// EC, DER (what [`SigningKey::sign_dsse`] writes) or the fixed-size `r || s`.
    pub fn verify_dsse(&self, input: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyingKey::Rsa(_) => self.verify(input, signature),
            VerifyingKey::Ec(key) => {
                use p256::ecdsa::signature::Verifier;
                p256::ecdsa::Signature::from_der(signature)
                    .or_else(|_| p256::ecdsa::Signature::from_slice(signature))
                    .is_ok_and(|signature| key.verify(input, &signature).is_ok())
            }
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        match self {
            VerifyingKey::Rsa(_) => Algorithm::Rs256,
            VerifyingKey::Ec(_) => Algorithm::Es256,
        }
    }

    /// Whether `signature` is this key's signature of `input`.
    pub fn verify(&self, input: &[u8], signature: &[u8]) -> bool {
        match self {
            VerifyingKey::Rsa(key) => key
                .pkcs1v15_verify::<sha2::Sha256>(input, signature)
                .is_ok(),
            VerifyingKey::Ec(key) => {
                use p256::ecdsa::signature::Verifier;
                p256::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify(input, &signature).is_ok())
            }
        }
    }
}

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block, with its lines.
struct Block {
    label: String,
    text: String,
}

fn blocks(pem: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in pem.lines() {
        let line = line.trim();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            current = Some(Block {
                label: label.to_string(),
                text: format!("{line}\n"),
            });
        } else if let Some(block) = current.as_mut() {
            block.text.push_str(line);
            block.text.push('\n');
            if line.starts_with("-----END ") {
                out.extend(current.take());
            }
        }
    }
    out
}

const UNSUPPORTED: &str = "only RSA and EC P-256 keys are supported";

/// The private key in `pem` for signing `what` (`the bundle`, `the attestation`): a failure is
/// the target's error, with the one hint on the key formats accepted.
pub(crate) fn signing_key_for(pem: &str, what: &str) -> Result<SigningKey, crate::Error> {
    signing_key(pem).map_err(|message| crate::Error {
        message: format!("cannot sign {what}: {message}"),
        help: Some(
            "the signing key must be a PEM RSA private key (PKCS#1 or PKCS#8) or \
             an EC P-256 private key (SEC1 or PKCS#8)"
                .to_string(),
        ),
    })
}

/// The private key in `pem`: `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY` (SEC1, P-256) or
/// `PRIVATE KEY` (PKCS#8, RSA or P-256). Other blocks (`EC PARAMETERS`) are skipped.
pub fn signing_key(pem: &str) -> Result<SigningKey, String> {
    for block in blocks(pem) {
        match block.label.as_str() {
            "RSA PRIVATE KEY" => {
                return rsa::PrivateKey::from_pkcs1_pem(&block.text)
                    .map(|k| SigningKey::Rsa(Box::new(k)))
                    .map_err(|e| format!("cannot read the RSA private key: {e}"));
            }
            "EC PRIVATE KEY" => {
                return p256::SecretKey::from_sec1_pem(&block.text)
                    .map(|k| SigningKey::Ec(Box::new(k.into())))
                    .map_err(|e| {
                        format!("cannot read the EC private key (it must be on P-256): {e}")
                    });
            }
            "PRIVATE KEY" => {
                if let Ok(key) = rsa::PrivateKey::from_pkcs8_pem(&block.text) {
                    return Ok(SigningKey::Rsa(Box::new(key)));
                }
                return p256::ecdsa::SigningKey::from_pkcs8_pem(&block.text)
                    .map(|k| SigningKey::Ec(Box::new(k)))
                    .map_err(|_| format!("cannot read the PKCS#8 private key: {UNSUPPORTED}"));
            }
            "ENCRYPTED PRIVATE KEY" => {
                return Err("the private key is encrypted; decrypt it first \
                     (`openssl pkey -in KEY -out PLAIN`)"
                    .to_string());
            }
            _ => {}
        }
    }
    Err(format!("no PEM private key found ({UNSUPPORTED})"))
}

/// The public key in `pem`: `PUBLIC KEY` (SubjectPublicKeyInfo), `RSA PUBLIC KEY` (PKCS#1), or
/// the public half of a private key, as OPA accepts for `--verification-key`.
pub fn verifying_key(pem: &str) -> Result<VerifyingKey, String> {
    for block in blocks(pem) {
        match block.label.as_str() {
            "PUBLIC KEY" => {
                if let Ok(key) = rsa::PublicKey::from_public_key_pem(&block.text) {
                    return Ok(VerifyingKey::Rsa(Box::new(key)));
                }
                return p256::ecdsa::VerifyingKey::from_public_key_pem(&block.text)
                    .map(|k| VerifyingKey::Ec(Box::new(k)))
                    .map_err(|_| format!("cannot read the public key: {UNSUPPORTED}"));
            }
            "RSA PUBLIC KEY" => {
                return rsa::PublicKey::from_pkcs1_pem(&block.text)
                    .map(|k| VerifyingKey::Rsa(Box::new(k)))
                    .map_err(|e| format!("cannot read the RSA public key: {e}"));
            }
            "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                return signing_key(&block.text).map(|key| match key {
                    SigningKey::Rsa(k) => VerifyingKey::Rsa(Box::new(k.to_public_key())),
                    SigningKey::Ec(k) => VerifyingKey::Ec(Box::new(*k.verifying_key())),
                });
            }
            "CERTIFICATE" => {
                return Err("certificates are not supported; extract the public key \
                     (`openssl x509 -pubkey -noout -in CERT`)"
                    .to_string());
            }
            _ => {}
        }
    }
    Err(format!("no PEM public key found ({UNSUPPORTED})"))
}
