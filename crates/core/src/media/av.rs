//! Audio and video uploads, through `ffprobe` and `ffmpeg` run as processes of their own
//! (`media.ffprobe`, `media.ffmpeg`; Debian's `ffmpeg` package). Written this way rather than
//! with a Rust demuxer: ffmpeg reads every container phones make, is kept up to date by the
//! distribution, and a malformed file that crashes it cannot take the server down.
//!
//! Streams are copied, not re-encoded (an upload costs little CPU on a small server), into a
//! new container without the original's metadata: a phone's video says where and with what it
//! was filmed. A video's thumbnail is the given picture or its first frame.

use super::{CoreError, CoreResult};
use std::{path::Path, process::Stdio, time::Duration};
use tokio::process::Command;

/// Longest a probe or a remux may run.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What is accepted: `(type as detected, ffmpeg's muxer, type stored, extension)`.
const KINDS: [(&str, &str, &str, &str); 8] = [
    ("video/mp4", "mp4", "video/mp4", "mp4"),
    ("video/quicktime", "mp4", "video/mp4", "mp4"),
    ("video/webm", "webm", "video/webm", "webm"),
    ("audio/mpeg", "mp3", "audio/mpeg", "mp3"),
    ("audio/ogg", "ogg", "audio/ogg", "ogg"),
    ("audio/opus", "ogg", "audio/ogg", "opus"),
    ("audio/m4a", "ipod", "audio/mp4", "m4a"),
    ("audio/x-wav", "wav", "audio/wav", "wav"),
];

/// Whether `bytes` look like an audio or video file accepted here.
pub(super) fn is_av(bytes: &[u8]) -> bool {
    kind_of(bytes).is_some()
}

fn kind_of(bytes: &[u8]) -> Option<(&'static str, &'static str, &'static str)> {
    let found = infer::get(bytes)?;
    KINDS
        .iter()
        .find(|(mime, ..)| *mime == found.mime_type())
        .map(|(_, muxer, stored, ext)| (*muxer, *stored, *ext))
}

/// An audio or video file ready to store.
pub(super) struct Processed {
    /// `video` or `audio`, as Mastodon names attachments.
    pub kind: &'static str,
    pub content_type: &'static str,
    pub extension: &'static str,
    pub file: Vec<u8>,
    /// A JPEG still for a video (its first frame), none for audio.
    pub still: Option<Vec<u8>>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub duration: Option<f64>,
}

/// Probes `bytes` and writes them again without metadata.
pub(super) async fn process(ffprobe: &str, ffmpeg: &str, bytes: Vec<u8>) -> CoreResult<Processed> {
    let Some((muxer, content_type, extension)) = kind_of(&bytes) else {
        return Err(super::unsupported());
    };
    if ffmpeg.is_empty() || ffprobe.is_empty() {
        return Err(no_tools());
    }
    let dir = tempfile::tempdir().map_err(|e| CoreError::Internal(format!("temp dir: {e}")))?;
    let input = dir.path().join("in");
    let output = dir.path().join(format!("out.{extension}"));
    write(&input, &bytes).await?;
    let probe = probe(ffprobe, &input).await?;
    let video = probe.video.is_some();
    let mut remux = vec!["-i".into(), path(&input)];
    for arg in [
        "-map",
        "0:v?",
        "-map",
        "0:a?",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-c",
        "copy",
        "-fflags",
        "+bitexact",
        "-f",
        muxer,
    ] {
        remux.push(arg.to_owned());
    }
    remux.push(path(&output));
    run(ffmpeg, &remux).await?;
    let still = if video {
        let frame = dir.path().join("still.jpg");
        let args = [
            "-i",
            &path(&output),
            "-frames:v",
            "1",
            "-vf",
            "scale='min(640,iw)':-2",
            "-map_metadata",
            "-1",
            &path(&frame),
        ]
        .map(str::to_owned);
        run(ffmpeg, &args).await?;
        Some(read(&frame).await?)
    } else {
        None
    };
    Ok(Processed {
        kind: if video { "video" } else { "audio" },
        content_type: if video {
            content_type
        } else {
            audio_type(content_type)
        },
        extension: if video || extension != "mp4" {
            extension
        } else {
            "m4a"
        },
        file: read(&output).await?,
        still,
        width: probe.video.map(|v| v.0),
        height: probe.video.map(|v| v.1),
        duration: probe.duration,
    })
}

/// Stores an audio or video upload of `actor`, with its thumbnail (the picture the client
/// sent, or a video's first frame) made like every picture's.
pub(super) async fn store(
    ctx: &crate::Context,
    actor: &crate::Actor,
    upload: super::Upload,
) -> CoreResult<super::Media> {
    use passage_db::entities::media_attachments;
    use sea_orm::ActiveValue::Set;
    let media = &ctx.config.media;
    let done = process(&media.ffprobe, &media.ffmpeg, upload.bytes).await?;
    let picture = match upload.thumbnail.or(done.still) {
        Some(bytes) => Some(super::picture_and_thumbnail(ctx, bytes).await?),
        None => None,
    };
    let blurhash = picture.as_ref().and_then(|p| p.blurhash.clone());
    let row = media_attachments::ActiveModel {
        actor_id: Set(actor.id),
        kind: Set(done.kind.into()),
        content_type: Set(done.content_type.into()),
        description: Set(upload.description.filter(|d| !d.trim().is_empty())),
        focus_x: Set(upload.focus.map(|f| f.0)),
        focus_y: Set(upload.focus.map(|f| f.1)),
        width: Set(done.width),
        height: Set(done.height),
        duration: Set(done.duration),
        blurhash: Set(blurhash),
        ..Default::default()
    };
    let thumbnail = picture.map(|p| p.thumbnail);
    super::store_with_thumbnail(ctx, (done.file, done.extension), thumbnail, row).await
}

/// An MP4 with sound only is audio (`audio/mp4`).
fn audio_type(detected: &'static str) -> &'static str {
    if detected == "video/mp4" {
        "audio/mp4"
    } else {
        detected
    }
}

fn no_tools() -> CoreError {
    CoreError::Unsupported(
        "audio and video need ffmpeg on the server (media.ffmpeg and media.ffprobe); ask its \
         admin"
            .into(),
    )
}

struct Probe {
    duration: Option<f64>,
    /// The first video stream's width and height.
    video: Option<(i32, i32)>,
}

async fn probe(ffprobe: &str, input: &Path) -> CoreResult<Probe> {
    let args = [
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        &path(input),
    ]
    .map(str::to_owned);
    let out = run(ffprobe, &args).await?;
    let json: serde_json::Value = serde_json::from_slice(&out)
        .map_err(|_| CoreError::Invalid("file: not a readable audio or video file".into()))?;
    let streams = json["streams"].as_array().cloned().unwrap_or_default();
    if !streams
        .iter()
        .any(|s| matches!(s["codec_type"].as_str(), Some("audio" | "video")))
    {
        return Err(CoreError::Invalid(
            "file: holds no sound and no picture".into(),
        ));
    }
    let video = streams
        .iter()
        .find(|s| s["codec_type"] == "video" && s["disposition"]["attached_pic"] != 1)
        .and_then(|s| Some((s["width"].as_i64()? as i32, s["height"].as_i64()? as i32)));
    let duration = json["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse::<f64>().ok())
        .filter(|d| d.is_finite() && *d >= 0.0);
    Ok(Probe { duration, video })
}

/// Runs a tool to its end within [`TIMEOUT`]; its output, or why it failed.
async fn run(program: &str, args: &[String]) -> CoreResult<Vec<u8>> {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => no_tools(),
            _ => CoreError::Internal(format!("{program}: {e}")),
        })?;
    let done = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| CoreError::Invalid("file: took too long to read".into()))?
        .map_err(|e| CoreError::Internal(format!("{program}: {e}")))?;
    if !done.status.success() {
        let why = String::from_utf8_lossy(&done.stderr);
        tracing::debug!(%program, error = %why.trim(), "audio or video refused");
        return Err(CoreError::Invalid(
            "file: not a readable audio or video file".into(),
        ));
    }
    Ok(done.stdout)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

async fn write(at: &Path, bytes: &[u8]) -> CoreResult<()> {
    tokio::fs::write(at, bytes)
        .await
        .map_err(|e| CoreError::Internal(format!("writing an upload: {e}")))
}

async fn read(at: &Path) -> CoreResult<Vec<u8>> {
    tokio::fs::read(at)
        .await
        .map_err(|e| CoreError::Internal(format!("reading an upload: {e}")))
}
