//! The TLS of gazette's HTTP clients (deploy, external link checks): rustls
//! with the ring provider, installed once per process.

/// Make ring rustls's process-wide provider (an error only means one already is).
pub(crate) fn use_ring() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
