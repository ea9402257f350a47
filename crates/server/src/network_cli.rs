//! The commands for the network an instance belongs to: a member's data out and in
//! (`passage export`, `passage import`), relays, the network directory, and closing the
//! instance for good (`passage admin shutdown`).

use passage_core::{Context, CoreError};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum NetworkCommand {
    /// Visit the network now (the server does it every six hours).
    Refresh,
    /// The servers of the network as last visited, and how many organisations each lists.
    List,
}

#[derive(clap::Subcommand)]
pub enum RelayCommand {
    /// Subscribe: a relay's inbox (`https://relay.example/inbox`, Mastodon's style) or its
    /// actor (`https://relay.example/actor`, LitePub's).
    Add { url: String },
    /// The relays with their state (pending until the relay accepts).
    List,
    /// Leave a relay.
    Remove { id: i64 },
}

pub async fn network(ctx: &Context, command: NetworkCommand) -> Result<(), CoreError> {
    match command {
        NetworkCommand::Refresh => {
            let config = passage_federation::Federation::config(ctx.clone()).await?;
            let visited = passage_federation::directory::refresh(&config.to_request_data())
                .await
                .map_err(|e| CoreError::Internal(e.to_string()))?;
            say!("visited {visited} servers");
        }
        NetworkCommand::List => {
            for s in passage_core::network::servers(ctx).await? {
                let listed = passage_core::network::listed(ctx, Some(&s.domain), 0, 10_000).await?;
                say!(
                    "{}\t{}\t{} organisations\t{}",
                    s.domain,
                    s.name.unwrap_or_default(),
                    listed.len(),
                    s.error.unwrap_or_default()
                );
            }
        }
    }
    Ok(())
}

pub async fn relay(ctx: &Context, command: RelayCommand) -> Result<(), CoreError> {
    match command {
        RelayCommand::Add { url } => {
            let config = passage_federation::Federation::config(ctx.clone()).await?;
            let relay = passage_federation::relays::subscribe(&config.to_request_data(), &url)
                .await
                .map_err(|e| CoreError::Invalid(e.to_string()))?;
            say!(
                "subscribed to {} ({} style); the running server sends the Follow",
                relay.url,
                relay.style
            );
        }
        RelayCommand::List => {
            for r in passage_core::relays::list(ctx).await? {
                say!("{}\t{}\t{}\t{}", r.id, r.url, r.style, r.state);
            }
        }
        RelayCommand::Remove { id } => {
            passage_core::relays::unsubscribe(ctx, id).await?;
            say!("left relay {id}");
        }
    }
    Ok(())
}

pub async fn shutdown(
    ctx: &Context,
    successors: Option<PathBuf>,
    delete_others: bool,
    redirect_days: u32,
    yes: bool,
) -> Result<(), CoreError> {
    if !yes {
        return Err(CoreError::Invalid(
            "closing the instance cannot be undone: add --yes".into(),
        ));
    }
    let successors = match successors {
        Some(path) => read_successors(&path)?,
        None => Vec::new(),
    };
    let plan = passage_federation::shutdown::Plan {
        successors,
        delete_others,
        redirect_days,
    };
    let config = passage_federation::Federation::config(ctx.clone()).await?;
    let report = passage_federation::shutdown::run(&config, plan)
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    for (name, target) in &report.moved {
        say!("moved\t{name}\t{target}");
    }
    for (name, why) in &report.refused {
        say!("not moved\t{name}\t{why}");
    }
    for name in &report.deleted {
        say!("deleted\t{name}");
    }
    for name in &report.kept {
        say!("kept\t{name}");
    }
    if let Some(shutdown) = &report.shutdown {
        say!(
            "closing: no new accounts; redirects answered until {} (keep `passage serve` running until then)",
            shutdown.redirect_until
        );
    }
    Ok(())
}

pub async fn export(
    ctx: &Context,
    username: &str,
    what: &str,
    out: Option<PathBuf>,
) -> Result<(), String> {
    let account = passage_core::accounts::local_by_username(ctx, username)
        .await
        .map_err(|e| format!("{username}: {e}"))?;
    if what == "archive" {
        let path = out.ok_or("an archive is a ZIP file: give --out FILE")?;
        let bytes = passage_federation::archive::build(ctx, &account)
            .await
            .map_err(|e| e.to_string())?;
        return std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()));
    }
    let what = passage_core::exports::Export::parse(what).map_err(|e| e.to_string())?;
    let text = passage_core::exports::csv(ctx, &account, what)
        .await
        .map_err(|e| e.to_string())?;
    match out {
        Some(path) => std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            say_raw!("{text}");
            Ok(())
        }
    }
}

pub async fn import(
    ctx: Context,
    username: &str,
    what: &str,
    file: &Path,
    mode: &str,
) -> Result<(), String> {
    use passage_core::imports::{self, Kind, Mode};
    let account = passage_core::accounts::local_by_username(&ctx, username)
        .await
        .map_err(|e| format!("{username}: {e}"))?;
    let kind = Kind::parse(what).map_err(|e| e.to_string())?;
    let mode = Mode::parse(mode).map_err(|e| e.to_string())?;
    let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let import = imports::start(&ctx, &account, kind, mode, &bytes)
        .await
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let config = passage_federation::Federation::config(ctx.clone())
        .await
        .map_err(|e| e.to_string())?;
    let done = passage_federation::imports::run(&config, import, |now| {
        eprint!(
            "\r{}/{} lines, {} failed",
            now.processed, now.total, now.failed
        );
    })
    .await
    .map_err(|e| format!("import stopped (it resumes when the server runs): {e}"))?;
    eprintln!();
    for row in imports::failures(&ctx, &done)
        .await
        .map_err(|e| e.to_string())?
    {
        say!("line {}: {}", row.line, row.error.unwrap_or_default());
    }
    say!(
        "imported {} of {} lines",
        done.processed - done.failed,
        done.total
    );
    Ok(())
}

/// `username,successor` lines; blank lines and `#` comments skipped.
fn read_successors(path: &Path) -> Result<Vec<(String, String)>, CoreError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CoreError::Invalid(format!("{}: {e}", path.display())))?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((user, successor)) = line.split_once(',') else {
            return Err(CoreError::Invalid(format!(
                "{} line {}: expected username,successor",
                path.display(),
                n + 1
            )));
        };
        pairs.push((user.trim().to_owned(), successor.trim().to_owned()));
    }
    Ok(pairs)
}
