//! Compiles the shipped default model into the library when `models/default.cgm` exists.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(has_default_model)");
    println!("cargo::rerun-if-changed=models/default.cgm");
    if std::path::Path::new("models/default.cgm").exists() {
        println!("cargo::rustc-cfg=has_default_model");
    }
}
