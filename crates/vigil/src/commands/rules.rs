//! `vigil rules list|explain`: documentation generated from the rules themselves.

use std::process::ExitCode;

use crate::cli::RulesCommand;
use crate::output::Hinted;

pub fn run(command: &RulesCommand) -> anyhow::Result<ExitCode> {
    match command {
        RulesCommand::List => {
            let mut text = String::new();
            for rule in vigil_threats::registry::rules() {
                let meta = rule.meta();
                text.push_str(&format!(
                    "{:<34} {:<16} {}\n",
                    meta.id,
                    meta.kind.as_str(),
                    meta.title
                ));
            }
            crate::output::stdout(&text)?;
        }
        RulesCommand::Explain { id } => {
            let rule = vigil_threats::registry::find(id).ok_or_else(|| {
                Hinted::error(
                    format!("no rule `{id}`"),
                    "`vigil rules list` shows every rule id",
                )
            })?;
            crate::output::stdout(&rule.meta().markdown())?;
        }
        RulesCommand::Docs => crate::output::stdout(&vigil_threats::registry::reference())?,
    }
    Ok(ExitCode::SUCCESS)
}
