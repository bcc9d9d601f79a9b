//! Writes a deterministic site with one typed collection of N fact sheets of 15 fields (and a
//! small collection they refer to, and one article per 20 sheets linking into them), for
//! measuring what the comparison engine costs as collections grow.
//!
//! `cargo run --release --example gen_factsheets -- OUT_DIR 1000` gives 1,000 sheets with the
//! default `pairs = "related"`: about 5 pair pages per sheet plus tables, facets, rankings,
//! charts and exports. `bench/scale.sh` times builds of 100, 1,000 and 10,000.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: gen_factsheets OUT_DIR N");
        std::process::exit(2);
    }
    let out = Path::new(&args[1]);
    let n: usize = args[2].parse().unwrap_or_else(|_| {
        eprintln!("N must be a whole number");
        std::process::exit(2);
    });
    if let Err(e) = generate(out, n) {
        eprintln!("cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}

fn generate(out: &Path, n: usize) -> std::io::Result<()> {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out.join("content/products"))?;
    fs::create_dir_all(out.join("content/vendors"))?;
    fs::write(
        out.join("book.toml"),
        r#"title = "Fact sheet benchmark"
base_url = "https://bench.example.org/"

[collections.products]
title = "Products"
singular = "product"
dir = "products"
columns = ["vendor", "kind", "released", "size"]
sort_by = "released"
order = "desc"
related_by = ["family", "vendor", "kind", "released", "size"]

[collections.products.fields]
vendor = { type = "ref", to = "vendors", label = "Vendor", required = true }
kind = { type = "enum", label = "Kind", required = true, sourced = true, values = { alpha = "Alpha", beta = "Beta", gamma = "Gamma", delta = "Delta" } }
licence = { type = "enum", label = "Licence", required = true, sourced = true, values = { open = "Open", restricted = "Restricted", closed = "Closed" } }
released = { type = "date", label = "Released", required = true, sourced = true }
size = { type = "number", unit = "GB", label = "Size", required = true, sourced = true }
speed = { type = "number", unit = "ops/s", label = "Speed", sourced = true }
ports = { type = "integer", label = "Ports", sourced = true }
platforms = { type = "list", of = "enum", label = "Platforms", sourced = true, values = { linux = "Linux", mac = "macOS", windows = "Windows" } }
homepage = { type = "url", label = "Homepage" }
summary = { type = "text", label = "Summary" }
family = { type = "string", label = "Family", required = true }
region = { type = "enum", label = "Region", sourced = true, values = { americas = "Americas", emea = "Europe, Middle East and Africa", apac = "Asia-Pacific" } }
mass = { type = "number", unit = "kg", label = "Mass", sourced = true, precision = 3 }
efficiency = { type = "number", unit = "ops/J", label = "Efficiency", sourced = true }
certified = { type = "bool", label = "Certified", sourced = true }

[[collections.products.charts]]
id = "size-over-time"
title = "Size over time"
x = "released"
y = "size"
color = "kind"
log_y = true

[collections.vendors]
title = "Vendors"
singular = "vendor"
dir = "vendors"

[collections.vendors.fields]
country = { type = "string", label = "Country", required = true }
"#,
    )?;
    for v in 0..8 {
        fs::write(
            out.join(format!("content/vendors/vendor-{v}.md")),
            format!(
                "+++\ntitle = \"Vendor {v}\"\ncountry = \"Country {v}\"\nlast_verified = \"2026-01-01\"\n+++\nA vendor.\n"
            ),
        )?;
    }
    let kinds = ["alpha", "beta", "gamma", "delta"];
    let licences = ["open", "restricted", "closed"];
    let platforms = ["linux", "mac", "windows"];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let src = format!("https://bench.example.org/sources/{i}");
        let mut fm = String::new();
        let _ = writeln!(
            fm,
            "+++\ntitle = \"Product {i:03}\"\ndescription = \"Synthetic product number {i}.\""
        );
        let _ = writeln!(fm, "vendor = \"vendor-{}\"", next() % 8);
        let _ = writeln!(
            fm,
            "kind = {{ value = \"{}\", source = \"{src}\" }}",
            kinds[(next() % 4) as usize]
        );
        let _ = writeln!(
            fm,
            "licence = {{ value = \"{}\", source = \"{src}\" }}",
            licences[(next() % 3) as usize]
        );
        let _ = writeln!(
            fm,
            "released = {{ value = \"{}-{:02}-{:02}\", source = \"{src}\" }}",
            2015 + next() % 11,
            1 + next() % 12,
            1 + next() % 28
        );
        let _ = writeln!(
            fm,
            "size = {{ value = {}.{}, source = \"{src}\" }}",
            1 + next() % 900,
            next() % 10
        );
        if i % 5 == 0 {
            let _ = writeln!(
                fm,
                "speed = {{ disclosure = \"undisclosed\", source = \"{src}\" }}"
            );
        } else {
            let _ = writeln!(
                fm,
                "speed = {{ value = {}, source = \"{src}\" }}",
                100 + next() % 10_000
            );
        }
        let _ = writeln!(
            fm,
            "ports = {{ value = {}, source = \"{src}\" }}",
            next() % 16
        );
        let p: Vec<String> = platforms
            .iter()
            .filter(|_| next() % 2 == 0)
            .map(|p| format!("\"{p}\""))
            .collect();
        let _ = writeln!(
            fm,
            "platforms = {{ value = [{}], source = \"{src}\" }}",
            p.join(", ")
        );
        let _ = writeln!(fm, "family = \"Family {}\"", i / 4);
        let _ = writeln!(
            fm,
            "region = {{ value = \"{}\", source = \"{src}\" }}",
            ["americas", "emea", "apac"][(next() % 3) as usize]
        );
        let _ = writeln!(
            fm,
            "mass = {{ value = {}.{:04}, source = \"{src}\" }}",
            next() % 40,
            next() % 10_000
        );
        if i % 7 == 0 {
            let _ = writeln!(
                fm,
                "efficiency = {{ disclosure = \"not-applicable\", note = \"A passive product.\" }}"
            );
        } else {
            let _ = writeln!(
                fm,
                "efficiency = {{ value = {}, source = \"{src}\" }}",
                1 + next() % 5_000
            );
        }
        let _ = writeln!(
            fm,
            "certified = {{ value = {}, source = \"{src}\" }}",
            next() % 2 == 0
        );
        let _ = writeln!(
            fm,
            "homepage = \"{src}\"\nsummary = \"A product used to measure comparison pages.\"\nlast_verified = \"2026-01-01\"\n+++"
        );
        let _ = writeln!(
            fm,
            "Product {i} is compared with [product 0](@/products/product-000.md)."
        );
        fs::write(out.join(format!("content/products/product-{i:03}.md")), fm)?;
    }
    // Articles that link into the collection: its sheets, its table and the compare-any page.
    fs::create_dir_all(out.join("content/articles"))?;
    for a in 0..n.div_ceil(20) {
        let mut body = format!(
            "+++\ntitle = \"Article {a}\"\ndate = \"2026-01-{:02}\"\n+++\nA survey of twenty products.\n\n",
            1 + a % 28
        );
        for i in (a * 20)..((a + 1) * 20).min(n) {
            let _ = writeln!(
                body,
                "- [Product {i}](@/products/product-{i:03}.md), or [compare it with another](@/compare/products/pick/?a=product-{i:03})"
            );
        }
        let _ = writeln!(body, "\nSee [the whole table](@/compare/products).");
        fs::write(
            out.join(format!("content/articles/article-{a:03}.md")),
            body,
        )?;
    }
    Ok(())
}
