//! One snapshot of the rendered diagnostics per broken input: the error experience is locked in.

mod common;

use common::*;

fn diagnostics_of(case: &str) -> String {
    let r = check(&fixture(&format!("invalid/{case}")));
    assert!(!r.ok(), "`{case}` should fail");
    diagnostics_text(&r)
}

macro_rules! invalid_case {
    ($name:ident, $dir:literal) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!($dir, diagnostics_of($dir));
        }
    };
}

invalid_case!(bad_toml_front_matter, "bad-toml");
invalid_case!(bad_yaml_front_matter, "bad-yaml");
invalid_case!(unclosed_front_matter, "unclosed-front-matter");
invalid_case!(unknown_config_keys, "unknown-config-key");
invalid_case!(broken_links, "broken-link");
invalid_case!(broken_anchors, "broken-anchor");
invalid_case!(missing_template, "missing-template");
invalid_case!(template_syntax_error, "template-syntax");
invalid_case!(duplicate_permalink, "duplicate-permalink");
invalid_case!(templates_that_include_each_other, "circular-include");
invalid_case!(unknown_field_in_fact_sheet, "unknown-field");
invalid_case!(wrong_type_in_fact_sheet, "wrong-type");
invalid_case!(value_not_in_enum, "enum-value");
invalid_case!(ref_to_missing_entry, "missing-ref");
invalid_case!(missing_required_field, "missing-required");
invalid_case!(missing_source, "missing-source");
invalid_case!(alias_outside_the_output, "alias-outside");
invalid_case!(script_urls_in_links_and_nav, "unsafe-url");
invalid_case!(base_url_with_quotes, "bad-base-url");
invalid_case!(site_base_without_content_block, "base-without-content");

#[test]
fn every_problem_in_a_stage_is_reported_at_once() {
    let text = diagnostics_of("missing-source");
    assert_eq!(text.matches("error[source]").count(), 3, "{text}");
}

#[test]
fn github_and_json_formats_carry_file_line_and_column() {
    let r = check(&fixture("invalid/broken-link"));
    let gh =
        factbook::diag::render_all(&r.diags, &r.sources, factbook::diag::MessageFormat::Github);
    assert!(gh.starts_with("::error file=content/a.md,line=4,col=5,title=error[link]::broken link: no content file `guide.md`"), "{gh}");
    let json =
        factbook::diag::render_all(&r.diags, &r.sources, factbook::diag::MessageFormat::Json);
    let first: serde_json::Value =
        serde_json::from_str(json.lines().next().expect("a line")).expect("json");
    assert_eq!(first["file"], "content/a.md");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 5);
    assert_eq!(first["help"], "did you mean `guides.md`?");
}
