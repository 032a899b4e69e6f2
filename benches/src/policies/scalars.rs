//! Scalar values of inputs: booleans, numbers of every spelling at the edges, strings with
//! escapes, UUIDs, timestamps, dates, durations, and the provenance envelope.

use super::input::{Builder, Site};
use super::json::{J, Step};
use super::pools::{self, chance, pick};
use super::schema::{Prim, Ty};
use crate::Rng;

impl Builder<'_> {
    pub(super) fn prim(&mut self, rng: &mut Rng, p: Prim) -> J {
        match p {
            Prim::Bool => J::Bool(chance(rng, 1, 2)),
            Prim::Int => {
                if chance(rng, 1, 6) {
                    self.tag("input.number_spelling");
                    return J::num(pick(rng, pools::INPUT_INT_SPELLINGS));
                }
                let n = pick(rng, pools::INPUT_INTS);
                self.number_tags(n);
                J::num(n)
            }
            Prim::Float | Prim::Decimal if chance(rng, 1, 2000) => {
                self.tag("input.number_extreme_exponent");
                J::num(pick(rng, pools::EXTREME))
            }
            Prim::Float | Prim::Decimal => {
                let n = if chance(rng, 1, 3) {
                    pick(rng, pools::INPUT_INTS)
                } else {
                    pick(rng, pools::INPUT_FLOATS)
                };
                self.number_tags(n);
                J::num(n)
            }
            Prim::String => {
                let text = pick(rng, pools::STRINGS);
                if chance(rng, 1, 40) {
                    self.tag("input.lone_surrogate");
                    return J::RawStr(pick(rng, &["\\ud800", "x\\udfff", "\\ud83d"]).to_string());
                }
                if !text.is_ascii() && chance(rng, 1, 2) {
                    self.tag("input.string_unicode_escape");
                    return J::Escaped(text.to_string());
                }
                J::str(text)
            }
            Prim::Bytes => J::str(pick(rng, pools::BYTES)),
            Prim::Uuid => J::str(pick(rng, pools::UUIDS)),
            Prim::Timestamp => {
                let (t, tag) = pick(rng, pools::TIMESTAMPS);
                self.tag(tag);
                J::str(t)
            }
            Prim::Date => {
                let d = pick(rng, pools::DATES);
                if d.starts_with("0001") || d.starts_with("9999") {
                    self.tag("input.date_edge_year");
                }
                J::str(d)
            }
            Prim::Duration => {
                if chance(rng, 1, 8) {
                    self.tag("input.duration_edge");
                    return J::str(pick(rng, pools::EDGE_DURATIONS));
                }
                J::str(pick(rng, pools::DURATIONS))
            }
        }
    }

    fn number_tags(&mut self, n: &str) {
        match n {
            "9007199254740993"
            | "9007199254740992"
            | "9007199254740993.0"
            | "1e308"
            | "1.7976931348623157e308" => self.tag("input.number_huge"),
            "1e-400" | "-1e-400" | "5e-324" | "1e-4000" | "1e-07" => self.tag("input.number_tiny"),
            "0.99999999999999999" | "1.0000000000000001" => self.tag("input.number_near_one"),
            "9223372036854775807" | "-9223372036854775808" | "2147483648" => {
                self.tag("input.int_boundary")
            }
            "1" | "1.0" | "1e0" | "1e3" | "-0.0" => self.tag("input.number_spelling"),
            _ => {}
        }
    }

    /// A provenance envelope: valid (confidence at its bounds) or broken in one field.
    pub(super) fn provenance(&mut self, rng: &mut Rng, path: Vec<Step>) -> J {
        let (t, _) = pick(rng, pools::TIMESTAMPS);
        let confidence = pick(
            rng,
            &[
                "0.5",
                "0.49",
                "1",
                "0",
                "1e0",
                "1.0",
                "0.99999999999999999",
                "1e-400",
            ],
        );
        let mut fields = vec![
            ("origin".to_string(), J::str("sensor")),
            ("actor".to_string(), J::str("svc-1")),
            ("timestamp".to_string(), J::str(t)),
            ("confidence".to_string(), J::num(confidence)),
            ("simulated".to_string(), J::Bool(chance(rng, 1, 3))),
        ];
        self.sites.push(Site::Object(path.clone()));
        for (k, _) in &fields {
            let mut p = path.clone();
            p.push(Step::Key(k.clone()));
            let ty = match k.as_str() {
                "timestamp" => Ty::Prim(Prim::Timestamp),
                "confidence" => super::schema::provenance_fields()
                    .get(3)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Ty::Prim(Prim::Float)),
                "simulated" => Ty::Prim(Prim::Bool),
                _ => Ty::Prim(Prim::String),
            };
            self.sites.push(Site::Field(p, ty, true));
        }
        if chance(rng, 1, 4) {
            self.tag("input.provenance_broken");
            let i = rng.below(fields.len());
            let bad = pick(
                rng,
                &[
                    J::Null,
                    J::str("0.5"),
                    J::num("1.0000000000000001"),
                    J::num("-1e-400"),
                    J::str("not a time"),
                    J::Bool(true),
                    J::num("7"),
                ],
            );
            if chance(rng, 1, 3) {
                fields.remove(i.min(fields.len().saturating_sub(1)));
            } else if let Some(f) = fields.get_mut(i) {
                f.1 = bad;
            }
        } else {
            self.tag("input.provenance_valid");
        }
        J::Obj(fields)
    }
}
