//! The storage servers the deploy tests start on 127.0.0.1. Each runs under a
//! shell that ends it when the test process is gone (a server shared by the
//! tests lives in a `static`, which is never dropped), in its own process
//! group, so that dropping it stops both.

use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::free_port;

/// A server on a free port, stopped when dropped.
pub(super) struct Emulator {
    child: Child,
    pub(super) port: u16,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.child.wait();
    }
}

impl Emulator {
    /// Run `program` with `args` (where `{port}` is the port taken) and
    /// `envs`, and wait until it accepts connections; `missing` says how to
    /// install it when it is not there.
    pub(super) fn start(
        program: &str,
        args: &str,
        envs: &[(&str, &str)],
        missing: &str,
    ) -> Emulator {
        let port = free_port();
        let args = args.replace("{port}", &port.to_string());
        let script = format!(
            "command -v '{program}' >/dev/null || exit 127; '{program}' {args} & \
             while kill -0 {} 2>/dev/null; do sleep 1; done; kill $!; wait",
            std::process::id()
        );
        let mut command = Command::new("sh");
        command
            .args(["-c", &script])
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .envs(envs.iter().copied());
        let child = command.spawn().expect("sh runs the storage server");
        let mut server = Emulator { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let gone = server.child.try_wait().ok().flatten();
            assert!(gone.is_none(), "the deploy tests need {missing}");
            assert!(Instant::now() < deadline, "{program} did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    pub(super) fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
