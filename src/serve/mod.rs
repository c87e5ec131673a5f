//! `blatt serve`: a preview of the site while its author writes.
//!
//! The site is built with the ordinary incremental build
//! ([`crate::pipeline::build`]) into a folder of its own that outlives the
//! server ([`folder`]), its manifest kept beside it so that each rebuild, and
//! the next session's first build, renders only what an edit reaches. A
//! builder thread rebuilds on every change the watcher ([`watch`])
//! reports; the HTTP side ([`live`])
//! serves the folder, injects the live-reload script into HTML and tells open
//! pages to reload or to show the errors of a failed build. A failed build
//! leaves the last good output in place, so the server always has something
//! to show.

mod folder;
mod live;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// The first build starts, into `folder`; the preview will be at
    /// `url`. Ctrl-C is heard from here on. `temporary`: why the folder is
    /// a temporary one, removed on exit, rather than the site's own.
    Building {
        url: &'a str,
        folder: &'a Path,
        temporary: Option<&'a str>,
    },
    /// Listening at `url`.
    Listening { url: &'a str },
    /// Ctrl-C during a build: the server stops when it is done.
    Stopping,
    /// A second Ctrl-C: the process ends now, the build abandoned.
    StoppingNow,
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
    /// Whether a build is under way: a Ctrl-C then waits for it.
    building: AtomicBool,
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

    let (folder, temporary) = folder::Folder::open(root).map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let out = folder.output();
    let build_options = BuildOptions {
        out: out.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        future: options.future,
        release_memory: None,
        preview: true,
    };
    let (stop, _) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        status: Mutex::new(Status::default()),
        events: tokio::sync::broadcast::channel(16).0,
        stop,
        building: AtomicBool::new(false),
    });
    let mut builder = Builder {
        root: root.to_path_buf(),
        options: build_options,
        shared: shared.clone(),
        on_event,
        warm: crate::pipeline::Warm::new(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Server)?;
    // Before anything is built: a Ctrl-C during the first build (25 s at
    // 100 000 articles from nothing) must not end the process the default
    // way, a temporary build folder left behind.
    let signals = {
        let _context = runtime.enter();
        Signals::install().map_err(Error::Server)?
    };
    // Watching before the first build: whatever changes after it starts is
    // reported, so that the builds after it may ask only for what changed.
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::Watcher::start(root, &out, follow_symlinks, tx.clone())?;
    // Set when everything has stopped: the signal watcher ends with it.
    let (over, _) = tokio::sync::watch::channel(false);
    let served = std::thread::scope(|scope| {
        let (runtime, shared, over) = (&runtime, &shared, &over);
        let folder = &folder;
        scope.spawn(move || runtime.block_on(watch_signals(signals, shared, over, on_event, folder)));
        on_event(ServeEvent::Building {
            url: &url,
            folder: folder.path(),
            temporary: temporary.as_deref(),
        });
        let since = builder.build(None).then(Vec::new);
        // A Ctrl-C during the first build: stopped once it was done.
        let served = if *shared.stop.borrow() {
            Ok(())
        } else {
            let builder = &mut builder;
            let watcher = &mut watcher;
            let building = scope.spawn(move || builder.rebuild_on_changes(&rx, watcher, since));
            let served = runtime.block_on(async {
                let listener = tokio::net::TcpListener::from_std(listener).map_err(Error::Server)?;
                on_event(ServeEvent::Listening { url: &url });
                let app = live::router(shared.clone(), &out);
                let mut stopped = shared.stop.subscribe();
                axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.wait_for(|&stop| stop).await;
                    })
                    .await
                    .map_err(Error::Server)
            });
            // A build under way is finished (a second Ctrl-C stops it).
            let _ = tx.send(watch::Message::Stop);
            let _ = building.join();
            served
        };
        over.send_replace(true);
        served
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    // The builder thread has ended: nothing writes into the folder any more.
    folder.close();
    served
}

/// Ctrl-C (or SIGTERM) stops the server once the build under way is
/// finished, so that the build folder is left whole (or, a temporary one,
/// removed); a second one stops at once, a temporary folder removed while a
/// build may still be writing into it (what it writes in that instant may
/// stay).
async fn watch_signals(
    mut signals: Signals,
    shared: &Shared,
    over: &tokio::sync::watch::Sender<bool>,
    on_event: &(dyn Fn(ServeEvent<'_>) + Sync),
    folder: &folder::Folder,
) {
    let mut over = over.subscribe();
    tokio::select! {
        () = signals.next() => {},
        _ = over.wait_for(|&over| over) => return,
    }
    shared.stop.send_replace(true);
    if shared.building.load(Ordering::SeqCst) {
        on_event(ServeEvent::Stopping);
    }
    tokio::select! {
        () = signals.next() => {},
        _ = over.wait_for(|&over| over) => return,
    }
    on_event(ServeEvent::StoppingNow);
    folder.abandon();
    // The build thread cannot be stopped from outside; ending the process
    // is the only way to stop now. 130: ended by SIGINT, as shells count.
    std::process::exit(130);
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

/// Ctrl-C and SIGTERM, as a stream. The handlers are installed when this
/// is made, not when it is first polled: a signal before that poll ended the
/// process the default way, the build folder left behind (seen once in CI,
/// under load, when the graceful shutdown polled the handler on a task of its
/// own).
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    /// Inside the runtime's context.
    fn install() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {},
                _ = self.terminate.recv() => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
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
    /// Builds again on every change the watcher reports, until told to
    /// stop. `since`: the paths changed since the last good build, while the
    /// watcher has seen every change (see `pipeline::build_knowing`).
    fn rebuild_on_changes(
        &mut self,
        rx: &mpsc::Receiver<watch::Message>,
        watcher: &mut watch::Watcher,
        mut since: Option<Vec<PathBuf>>,
    ) {
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
                if self.build(known) {
                    since = Some(Vec::new());
                }
            }
            message = rx.recv();
        }
    }

    /// Builds, told what changed since the last good build where that is
    /// known; whether the build succeeded.
    fn build(&mut self, changed: Option<&[PathBuf]>) -> bool {
        let started = Instant::now();
        self.shared.building.store(true, Ordering::SeqCst);
        // site.yaml may be among the changes: read it every time.
        let result = Site::load(&self.root).and_then(|site| {
            crate::pipeline::build_knowing(&site, &self.options, changed, Some(&mut self.warm), &|| {})
        });
        self.shared.building.store(false, Ordering::SeqCst);
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
