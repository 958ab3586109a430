//! What gazette's HTTP clients (deploy, external link checks) share: rustls
//! with the ring provider, and a small tokio runtime for one command's requests.

/// Make ring rustls's process-wide provider (an error only means one already is).
pub(crate) fn use_ring() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// TLS ready and a two-thread runtime (the machine's cores, mostly waiting on
/// the network); the error says what `doing` could not start.
pub(crate) fn runtime(doing: &str) -> Result<tokio::runtime::Runtime, String> {
    use_ring();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("{doing}: cannot start the network runtime: {e}"))
}
