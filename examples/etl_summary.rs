//! Print what the ETL container reader makes of `.etl` files, as JSON:
//! `cargo run --release --example etl_summary -- FILE...` (used by `benchsuite/etl.sh`).

fn main() {
    for a in std::env::args().skip(1) {
        let s = offline_im_doctor::sources::etl::read_etl_file(std::path::Path::new(&a));
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"path": a, "summary": s}))
                .unwrap_or_default()
        );
    }
}
