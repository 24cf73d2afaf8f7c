//! The examples of team runs, workflow runs and cancellation, run against the real AgentOS:
//! each must finish without an error (the cancel example fails unless its runs end cancelled).

mod common;

use std::time::Duration;

#[path = "../examples/cancel.rs"]
mod cancel;
#[path = "../examples/team_run.rs"]
mod team_run;
#[path = "../examples/workflow_run.rs"]
mod workflow_run;

/// Runs an example's `main` (which makes its own runtime) on a thread, bounded in time.
fn run<E: std::fmt::Debug + Send + 'static>(main: fn() -> Result<(), E>) {
    common::url(); // fails with a clear message when no fixture is configured
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(main()));
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(result) => result.expect("the example failed"),
        Err(e) => panic!("the example did not finish in 120 s: {e}"),
    }
}

#[test]
fn team_run_example_runs() {
    run(team_run::main);
}

#[test]
fn workflow_run_example_runs() {
    run(workflow_run::main);
}

#[test]
fn cancel_example_cancels_its_runs() {
    run(cancel::main);
}
