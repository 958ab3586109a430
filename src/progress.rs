//! The progress display of long runs: a spinner on stderr saying what the
//! build is doing, shown only on a terminal and only once the run has taken
//! about 2 s (short builds print nothing but their summary line).

use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::StageListener;

/// How long a run goes unshown.
const QUIET_FOR: Duration = Duration::from_secs(2);

/// A spinner that appears after `QUIET_FOR`, if `enabled`.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Start; `enabled` is false with `-q` or when stderr is not a terminal.
    pub fn start(enabled: bool) -> Self {
        if !enabled {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        let later = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(QUIET_FOR);
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr());
                later.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// A listener that shows each stage a build tells.
    pub fn listener(&self) -> StageListener {
        match &self.bar {
            Some(bar) => {
                let bar = Arc::new(bar.clone());
                StageListener::new(move |stage| bar.set_message(stage))
            }
            None => StageListener::default(),
        }
    }

    /// Remove the spinner (before the summary line and diagnostics are printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A bar counting `len` steps of `what` (uploads), drawn on stderr when
/// `enabled`; hidden otherwise, so callers count either way.
pub fn counter(enabled: bool, len: u64, what: &'static str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed} (eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disabled_display_has_no_bar_and_a_silent_listener() {
        let progress = Progress::start(false);
        assert!(progress.bar.is_none());
        progress.listener().tell("parsing articles");
        progress.finish();
    }

    #[test]
    fn an_enabled_display_shows_the_stage_it_is_told() {
        let progress = Progress::start(true);
        progress.listener().tell("parsing articles");
        let bar = progress.bar.as_ref().unwrap();
        assert_eq!(bar.message(), "parsing articles");
        assert!(bar.is_hidden(), "nothing is drawn in the first two seconds");
        progress.finish();
        assert!(bar.is_finished());
    }

    #[test]
    fn a_disabled_counter_is_hidden_but_counts() {
        let bar = counter(false, 3, "uploading");
        bar.inc(2);
        assert!(bar.is_hidden());
        assert_eq!(bar.position(), 2);
        assert_eq!(counter(true, 3, "uploading").length(), Some(3));
    }
}
