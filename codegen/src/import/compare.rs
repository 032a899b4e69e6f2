//! Semantic comparison of two OpenAPI documents.
