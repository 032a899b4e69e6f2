//! The conventions of a tool installed beside others: `charter --version` names the commit it
//! was built from, `charter --help` lists the commands by what a user is doing, `charter
//! completions SHELL` prints a completion script (clap_complete) and `charter man [DIR]` writes a
//! manual page per command (clap_mangen).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use super::{Args, fail_text, stdout, write};

/// `charter --version`: the crate's version and `HASH DATE` of the commit (`unknown` when the
/// build had no git checkout; `cli/build.rs`).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("CHARTER_COMMIT"), ")");

/// The groups of `charter --help`, in order: a heading and its commands. A command of no group
/// is listed under the last heading, "Other"; the tests require that none is.
pub const GROUPS: &[(&str, &[&str])] = &[
    ("Write", &["fmt", "import", "explain", "lsp"]),
    ("Check", &["check", "test", "eval", "drift"]),
    ("Build", &["build"]),
    ("Release", &["diff", "changelog", "bundle", "attest"]),
    ("Compliance", &["crosswalk", "report"]),
    ("Set up", &["completions", "man"]),
];

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell whose completion script is printed.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// Write `charter.1` and one `charter-COMMAND.1` per command into this folder (created when
    /// missing); without it, `charter.1` is printed.
    dir: Option<PathBuf>,
}

/// The command line with its grouped help.
pub fn command() -> clap::Command {
    let command = Args::command();
    let template = template(&command);
    command.help_template(template)
}

/// The arguments, parsed by [`command`] (so `--help` is grouped).
pub fn parse() -> Result<Args, clap::Error> {
    let mut command = command();
    let matches = command.try_get_matches_from_mut(std::env::args_os())?;
    Args::from_arg_matches(&matches).map_err(|error| error.format(&mut command))
}

/// The help template: about, usage, the commands by group, the options. Headings and command
/// names are styled as clap styles its own (and plain when the output has no colours).
fn template(command: &clap::Command) -> String {
    let styles = command.get_styles();
    let (header, literal) = (styles.get_header(), styles.get_literal());
    let width = command
        .get_subcommands()
        .map(|c| c.get_name().len())
        .max()
        .unwrap_or(0);
    let mut text = String::from("{about-with-newline}\n{usage-heading} {usage}\n");
    for (heading, names) in groups(command) {
        text.push_str(&format!("\n{header}{heading}:{header:#}\n"));
        for name in names {
            let about = command
                .find_subcommand(&name)
                .and_then(clap::Command::get_about)
                .map(ToString::to_string)
                .unwrap_or_default();
            let pad = " ".repeat(width - name.len() + 2);
            text.push_str(&format!("  {literal}{name}{literal:#}{pad}{about}\n"));
        }
    }
    text.push_str(&format!("\n{header}Options:{header:#}\n{{options}}"));
    text
}

/// The commands of `command` by group ([`GROUPS`], then "Other" for any command of no group),
/// leaving out empty groups.
pub fn groups(command: &clap::Command) -> Vec<(&'static str, Vec<String>)> {
    let names: Vec<String> = command
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    let mut groups: Vec<(&'static str, Vec<String>)> = GROUPS
        .iter()
        .map(|(heading, members)| {
            let present = members
                .iter()
                .filter(|m| names.iter().any(|n| n == *m))
                .map(ToString::to_string)
                .collect();
            (*heading, present)
        })
        .collect();
    let other = names
        .iter()
        .filter(|n| {
            !GROUPS
                .iter()
                .any(|(_, members)| members.contains(&n.as_str()))
        })
        .cloned()
        .collect();
    groups.push(("Other", other));
    groups.retain(|(_, names)| !names.is_empty());
    groups
}

/// `charter completions SHELL`: the completion script on stdout.
pub fn completions(args: &CompletionsArgs) -> ExitCode {
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command(), "charter", &mut buffer);
    let _ = stdout().write_all(&buffer);
    ExitCode::SUCCESS
}

/// `charter man [DIR]`: every page into DIR, or the main page on stdout.
pub fn man(args: &ManArgs) -> ExitCode {
    let mut command = command().disable_help_subcommand(true);
    command.build();
    let Some(dir) = &args.dir else {
        return match page(&command) {
            Ok((_, bytes)) => {
                let _ = stdout().write_all(&bytes);
                ExitCode::SUCCESS
            }
            Err((path, error)) => fail_text(write::failed(&path, &error)),
        };
    };
    if let Err(error) = std::fs::create_dir_all(dir) {
        return fail_text(write::failed(dir, &error));
    }
    let mut pages = Vec::new();
    collect(&command, &mut pages);
    let mut written = 0;
    for command in pages {
        let result = page(command).and_then(|(name, bytes)| {
            let path = dir.join(name);
            write::atomic(&path, &bytes).map_err(|e| (path, e))
        });
        match result {
            Ok(()) => written += 1,
            Err((path, error)) => return fail_text(write::failed(&path, &error)),
        }
    }
    let _ = writeln!(
        stdout(),
        "wrote {written} manual pages into {}",
        dir.display()
    );
    ExitCode::SUCCESS
}

/// `command` and every command under it, depth first, as clap_mangen's `generate_to` walks them.
fn collect<'a>(command: &'a clap::Command, pages: &mut Vec<&'a clap::Command>) {
    pages.push(command);
    for sub in command.get_subcommands().filter(|c| !c.is_hide_set()) {
        collect(sub, pages);
    }
}

/// One manual page: its file name (`charter-bundle-sign.1`) and its roff text. The page's date
/// is the commit's, so one commit always writes the same pages.
fn page(command: &clap::Command) -> Result<(String, Vec<u8>), (PathBuf, std::io::Error)> {
    let mut man = clap_mangen::Man::new(command.clone())
        .manual("Charter Manual")
        .source(format!("charter {}", env!("CARGO_PKG_VERSION")));
    if let Some((_, date)) = env!("CHARTER_COMMIT").split_once(' ') {
        man = man.date(date);
    }
    let name = man.get_filename();
    let mut bytes = Vec::new();
    man.render(&mut bytes)
        .map_err(|e| (PathBuf::from(&name), e))?;
    Ok((name, bytes))
}
