//! `vigil init`: writes the commented starter vigil.toml.

use std::process::ExitCode;

use fs_err as fs;

use crate::cli::InitArgs;
use crate::output::Hinted;

pub fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let path = args.path.join("vigil.toml");
    if path.exists() && !args.force {
        return Err(Hinted::error(
            format!("{} already exists", path.display()),
            "pass --force to overwrite it",
        ));
    }
    fs::create_dir_all(&args.path)?;
    fs::write(&path, vigil_core::config::STARTER)?;
    crate::output::stdout(&format!("wrote {}\n", path.display()))?;
    Ok(ExitCode::SUCCESS)
}
