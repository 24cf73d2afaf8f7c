//! Placeholder until its area lands.
fn main() {}
