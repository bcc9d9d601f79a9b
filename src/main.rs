//! The `factbook` command line: a thin layer over the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use factbook::config::Overrides;
use factbook::diag::{MessageFormat, render_all_in};
use factbook::{BuildOptions, build, summary_line};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `factbook 0.1.0 (abc1234)`: the package version and the commit it was built from (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("FACTBOOK_BUILD_COMMIT"),
    ")"
);

#[derive(Parser)]
#[command(name = "factbook", version = VERSION, about = "A static site generator for Markdown articles and typed, sourced fact sheets", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output directory (default `public/`)
    #[command(
        after_help = "Examples:\n  factbook build\n  factbook build --root site --output /tmp/out --base-url https://example.org/\n  factbook build --deny-warnings --message-format github"
    )]
    Build(BuildCommand),
    /// Check everything a build checks, without writing anything
    #[command(after_help = "Example:\n  factbook check --deny-warnings")]
    Check(BuildArgs),
    /// Build, serve on 127.0.0.1 and rebuild on every change, with live reload
    #[cfg(feature = "serve")]
    #[command(
        after_help = "Examples:\n  factbook serve\n  factbook serve --port 8080 --open --drafts"
    )]
    Serve(ServeArgs),
    /// Create a new, minimal site in DIR
    #[command(after_help = "Example:\n  factbook init my-site && cd my-site && factbook build")]
    Init {
        /// Directory to create (must be empty or not exist)
        dir: PathBuf,
    },
}

#[derive(Args, Clone)]
struct SiteArgs {
    /// The site's directory (where book.toml is)
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Override `base_url` from book.toml
    #[arg(long)]
    base_url: Option<String>,
    /// Override the output directory (relative to the current directory)
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Include pages marked `draft = true`
    #[arg(long)]
    drafts: bool,
    /// How to print problems (default: human, or github under GitHub Actions)
    #[arg(long, value_enum)]
    message_format: Option<Format>,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Treat warnings as errors
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Args)]
struct BuildCommand {
    #[command(flatten)]
    args: BuildArgs,
    /// Replace the output directory even if factbook did not make it (its files are deleted)
    #[arg(long)]
    force: bool,
}

#[cfg(feature = "serve")]
#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port to listen on
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to bind (only loopback unless you ask)
    #[arg(long, default_value = "127.0.0.1")]
    bind: String,
    /// Open the site in a browser once it is served
    #[arg(long)]
    open: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Github,
    Json,
}

fn message_format(f: Option<Format>) -> MessageFormat {
    match f {
        Some(Format::Human) => MessageFormat::Human,
        Some(Format::Github) => MessageFormat::Github,
        Some(Format::Json) => MessageFormat::Json,
        None if std::env::var_os("GITHUB_ACTIONS").is_some() => MessageFormat::Github,
        None => MessageFormat::Human,
    }
}

fn options(site: &SiteArgs, deny_warnings: bool, write: bool) -> BuildOptions {
    // `--output` is relative to where the command runs, not to the site root.
    let output_dir = site.output.as_ref().map(|o| {
        if o.is_absolute() {
            o.clone()
        } else {
            std::env::current_dir()
                .map(|d| d.join(o))
                .unwrap_or_else(|_| o.clone())
        }
    });
    BuildOptions {
        root: site.root.clone(),
        overrides: Overrides {
            base_url: site.base_url.clone(),
            output_dir,
            drafts: site.drafts,
            force: false,
        },
        deny_warnings,
        write,
        keep_pages: false,
    }
}

fn run_build(args: &BuildArgs, write: bool, force: bool) -> ExitCode {
    let format = message_format(args.site.message_format);
    let mut opts = options(&args.site, args.deny_warnings, write);
    opts.overrides.force = force;
    let result = build(&opts);
    // The process ends here: its memory goes back whole, without freeing a site's worth of
    // small allocations one by one on the way out (a tenth of a second at 10,000 pages).
    let result = std::mem::ManuallyDrop::new(result);
    let mut stderr = std::io::stderr().lock();
    let site_dir = site_dir_in_workspace(&args.site.root);
    let rendered = render_all_in(&result.diags, &result.sources, format, &site_dir);
    let _ = stderr.write_all(rendered.as_bytes());
    if !result.ok() {
        let errors = result.diags.count(factbook::diag::Severity::Error);
        let what = if write { "build" } else { "check" };
        let _ = writeln!(
            stderr,
            "{what} failed: {errors} error{}; nothing was written",
            if errors == 1 { "" } else { "s" }
        );
        return ExitCode::from(1);
    }
    let verb = if write { "built" } else { "checked" };
    let _ = writeln!(std::io::stdout(), "{}", summary_line(&result, verb));
    ExitCode::SUCCESS
}

/// The site's directory as a path from where factbook runs (the workspace, in CI), for naming
/// files in GitHub annotations: `""` for the current directory, `docs` for `--root ./docs`.
fn site_dir_in_workspace(root: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|cwd| root.strip_prefix(cwd).ok())
        .unwrap_or(root);
    if rel.is_absolute() {
        // Outside the workspace: GitHub cannot place it, but the path still says where it is.
        return rel.to_string_lossy().into_owned();
    }
    rel.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A build is one short process that frees and reallocates memory all the time. By default
/// mimalloc hands freed memory back to the OS after a delay, and the kernel then zeroes the same
/// pages again when they are reused: on 10,000 pages that was 2,100 page faults instead of 530,
/// and 15 % more wall time (median of 8 interleaved runs). `serve` runs for hours and keeps the
/// default, so that memory freed after a rebuild goes back.
fn keep_freed_memory() {
    // mimalloc asks for transparent huge pages, and the kernel zeroes a whole 2 MiB page on the
    // first touch of any byte of it: on a 10,000-page build that was about 500 huge-page faults,
    // a gigabyte zeroed for 370 MB used, and a fifth of the build's CPU time (27 % of the
    // profile in `clear_page_erms`). With them off, the same build takes 4 KiB pages as it
    // touches them. (mimalloc's own `allow_thp` option is read before `main`, so the process
    // flag is set instead; it applies to every later fault.)
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    // `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (mimalloc.h); -1: never purge.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

    // SAFETY: sets one integer option while only this thread runs (`mi_option_set` is not
    // thread-safe; the build starts its threads later).
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let _ = std::io::stderr().is_terminal();
    match cli.command {
        Command::Build(cmd) => {
            keep_freed_memory();
            run_build(&cmd.args, true, cmd.force)
        }
        Command::Check(args) => {
            keep_freed_memory();
            run_build(&args, false, false)
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => {
            let opts = factbook::serve::ServeOptions {
                build: options(&args.site, false, true),
                port: args.port,
                bind: args.bind,
                open: args.open,
                message_format: message_format(args.site.message_format),
            };
            match factbook::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => match factbook::init::init_site(&dir) {
            Ok(()) => {
                println!(
                    "created a new site in {}; run `factbook build --root {}`",
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot create a site in `{}`: {e}", dir.display());
                ExitCode::from(2)
            }
        },
    }
}
