//! Rebuilds the crate when a migration changes: `sqlx::migrate!` embeds the
//! files of `migrations/` at compile time, and cargo does not watch them.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
