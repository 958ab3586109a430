//! Work a rebuild need not wait for.

/// Drop `value` on a thread of its own: freeing a large structure (a site's
/// files, a session's last outputs) takes tens of milliseconds that an
/// edit's rebuild would otherwise spend before it shows.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be made, the closure, and `value` with it, is
    // dropped here instead.
    let _ = std::thread::Builder::new()
        .name("gazette-drop".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    #[test]
    fn the_value_is_dropped() {
        let value = Arc::new(vec![1u8; 1024]);
        let weak = Arc::downgrade(&value);
        super::drop_later(value);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while weak.upgrade().is_some() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(weak.upgrade().is_none());
    }
}
