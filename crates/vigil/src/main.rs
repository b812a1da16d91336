//! The `vigil` binary: parses arguments, wires the library crates, and is the only place that prints or
//! exits. Exit codes: 0 ok, 1 findings at or above `--fail-on`, 2 usage or input error.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use output::Hinted;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    let result = match &cli.command {
        Command::Assess(args) => commands::assess::run(&cli, args),
        Command::Inventory(args) => commands::inventory::run(&cli, args),
        Command::Model(args) => commands::model::run(&cli, args),
        Command::Design(args) => commands::design::run(&cli, args),
        Command::Init(args) => commands::init::run(args),
        Command::Db(command) => commands::db::run(&cli, command),
        Command::Rules(command) => commands::rules::run(command),
        Command::Schema => commands::schema::run(),
        Command::Diff(args) => commands::diff::run(&cli, args),
        Command::History(args) => commands::history::run(&cli, args),
        Command::Show(args) => commands::history::show(&cli, args),
        Command::Metrics(args) => commands::metrics::run(&cli, args),
        Command::Due(args) => commands::due::run(&cli, args),
        Command::Tickets(command) => commands::tickets::run(&cli, command),
    };
    match result {
        Ok(code) => code,
        Err(error) if output::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            match error.downcast_ref::<Hinted>() {
                Some(hinted) => {
                    eprintln!("error: {}", hinted.message);
                    if let Some(hint) = &hinted.hint {
                        eprintln!("hint: {hint}");
                    }
                }
                None => eprintln!("error: {error:#}"),
            }
            ExitCode::from(2)
        }
    }
}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("VIGIL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
