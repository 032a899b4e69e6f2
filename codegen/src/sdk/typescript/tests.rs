//! The TypeScript SDK: snapshots and the mapping.
