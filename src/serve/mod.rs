//! `blatt serve`: a preview of the site while its author writes.
//!
//! The site is built into a temporary folder with the ordinary incremental
//! build ([`crate::pipeline::build`]), its manifest kept beside it so that each
//! rebuild renders only what an edit reaches. A builder thread rebuilds on
//! every change the watcher ([`watch`]) reports; the HTTP side ([`live`])
//! serves the folder, injects the live-reload script into HTML and tells open
//! pages to reload or to show the errors of a failed build. A failed build
//! leaves the last good output in place, so the server always has something
//! to show.

mod live;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::Site;
use crate::error::Error;
use crate::pipeline::{BuildOptions, BuildReport};

pub use live::{SCRIPT_TAG, error_text};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 lets the system choose a free port (the line printed names it).
    pub port: u16,
    pub drafts: bool,
    pub future: bool,
}

/// What the server reports to the terminal; the command line prints it.
#[derive(Debug)]
pub enum ServeEvent<'a> {
    /// A build succeeded (the first one, or a rebuild after a change).
    Built { report: &'a BuildReport, elapsed: Duration },
    /// A build failed; the last good output is still served.
    Failed(&'a Error),
    /// Listening at `url`.
    Listening { url: &'a str },
}

/// What the pages learn through `/__blatt/events` and `/__blatt/status`.
#[derive(Debug, Default)]
struct Status {
    /// Completed builds, good or bad.
    builds: u64,
    /// The error text of the last build, if it failed.
    errors: Option<String>,
}

/// State shared by the builder thread and the HTTP handlers.
struct Shared {
    status: Mutex<Status>,
    events: tokio::sync::broadcast::Sender<live::LiveEvent>,
    /// Set on Ctrl-C: ends the open event streams so that shutdown does not
    /// wait for browsers to hang up.
    stop: tokio::sync::watch::Sender<bool>,
}

/// Builds, serves and watches `root` until Ctrl-C (or SIGTERM).
pub fn run(root: &Path, options: &ServeOptions, on_event: &(dyn Fn(ServeEvent<'_>) + Sync)) -> Result<(), Error> {
    // A missing site is a wrong --root, not something an edit can fix.
    let follow_symlinks = match Site::load(root) {
        Err(e @ Error::NoSite(_)) => return Err(e),
        loaded => loaded.is_ok_and(|site| site.config.build.follow_symlinks),
    };
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|source| match source.kind() {
        std::io::ErrorKind::AddrInUse => Error::PortInUse { addr },
        _ => Error::Listen { addr, source },
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|source| Error::Listen { addr, source })?;
    let local = listener.local_addr().map_err(|source| Error::Listen { addr, source })?;
    let url = format!("http://{}/", shown_addr(local));

    let temp = tempfile::Builder::new()
        .prefix("blatt-serve-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    // The manifest lives beside the output, inside the temporary folder.
    let out = temp.path().join("public");
    let build_options = BuildOptions {
        out: out.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        future: options.future,
        release_memory: None,
    };
    let (stop, _) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        status: Mutex::new(Status::default()),
        events: tokio::sync::broadcast::channel(16).0,
        stop,
    });
    let mut builder = Builder {
        root: root.to_path_buf(),
        options: build_options,
        shared: shared.clone(),
        on_event,
        warm: crate::pipeline::Warm::new(),
    };
    // Watching before the first build: whatever changes after it starts is
    // reported, so that the builds after it may ask only for what changed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::Watcher::start(root, &out, follow_symlinks, tx.clone())?;
    let mut since = builder.build(None).then(Vec::new);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Server)?;
    let served = std::thread::scope(|scope| {
        let builder = &mut builder;
        let watcher = &mut watcher;
        scope.spawn(move || {
            // `since`: the paths changed since the last good build, while the
            // watcher has seen every change (see `pipeline::build_knowing`).
            let mut message = rx.recv();
            while let Ok(first) = message {
                // Editors save in bursts; one build for everything pending.
                let mut pending = vec![first];
                pending.extend(rx.try_iter());
                let mut wanted = false;
                for m in pending {
                    match m {
                        watch::Message::Changed { paths, build } => {
                            wanted |= build;
                            watcher.refresh(&paths);
                            if let Some(since) = since.as_mut() {
                                since.extend(paths);
                            }
                        }
                        watch::Message::Rescan => {
                            since = None;
                            wanted = true;
                        }
                        watch::Message::Stop => return,
                    }
                }
                if wanted {
                    let known = since.as_deref().filter(|_| !watcher.has_links());
                    if builder.build(known) {
                        since = Some(Vec::new());
                    }
                }
                message = rx.recv();
            }
        });
        let served = runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).map_err(Error::Server)?;
            let signalled = shutdown_signal().map_err(Error::Server)?;
            on_event(ServeEvent::Listening { url: &url });
            let app = live::router(shared.clone(), &out);
            let stop = shared.stop.clone();
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    signalled.await;
                    stop.send_replace(true);
                })
                .await
                .map_err(Error::Server)
        });
        let _ = tx.send(watch::Message::Stop);
        served
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    // The builder thread has ended: nothing writes into the folder any more.
    drop(temp);
    served
}

/// An address as it goes into a URL: an unspecified one (0.0.0.0, ::) is
/// reached on loopback, and IPv6 needs brackets.
fn shown_addr(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

/// Ctrl-C or SIGTERM. The handlers are installed now, not when the future
/// is first polled: the graceful shutdown polls it on a task of its own,
/// and a signal that came after the first page was served but before that
/// task ran ended the process the default way, the build folder left
/// behind (seen once in CI, under load).
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

/// Runs builds and publishes their outcome.
struct Builder<'a> {
    root: PathBuf,
    options: BuildOptions,
    shared: Arc<Shared>,
    on_event: &'a (dyn Fn(ServeEvent<'_>) + Sync),
    /// The records each build leaves for the next, so that a rebuild does
    /// not decode them from the manifest.
    warm: crate::pipeline::Warm,
}

impl Builder<'_> {
    /// Builds, told what changed since the last good build where that is
    /// known; whether the build succeeded.
    fn build(&mut self, changed: Option<&[PathBuf]>) -> bool {
        let started = Instant::now();
        // site.yaml may be among the changes: read it every time.
        let result = Site::load(&self.root).and_then(|site| {
            crate::pipeline::build_knowing(&site, &self.options, changed, Some(&mut self.warm), &|| {})
        });
        let mut status = self.shared.status.lock().unwrap_or_else(|p| p.into_inner());
        status.builds += 1;
        let good = result.is_ok();
        match result {
            Ok(report) => {
                (self.on_event)(ServeEvent::Built {
                    report: &report,
                    elapsed: started.elapsed(),
                });
                let recovered = status.errors.take().is_some();
                // An unchanged output needs no reload, unless an overlay is up.
                if report.written > 0 || recovered {
                    let _ = self.shared.events.send(live::LiveEvent::Reload(status.builds));
                }
            }
            Err(error) => {
                (self.on_event)(ServeEvent::Failed(&error));
                let text = error_text(&error);
                status.errors = Some(text.clone());
                let _ = self.shared.events.send(live::LiveEvent::Error(text));
            }
        }
        good
    }
}
