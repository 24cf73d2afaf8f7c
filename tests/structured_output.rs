//! Integration tests of typed structured output against the real AgentOS: `output_type::<T>()`
//! sends the JSON Schema of `T`, the fake model answers with JSON that satisfies it, and
//! `content_as::<T>()` decodes it (agents and teams, streamed and not).

mod common;

use agentos::runs::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Place {
    city: String,
    country: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Trip {
    place: Place,
    days: u32,
    budget: f64,
    booked: bool,
    stops: Vec<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
struct Other {
    #[allow(dead_code)]
    reply: String,
}

fn check(trip: &Trip) {
    assert!(
        !trip.place.city.is_empty() && !trip.place.country.is_empty(),
        "{trip:?}"
    );
    assert!(!trip.stops.is_empty(), "{trip:?}");
    let _ = (trip.days, trip.budget, trip.booked);
}

#[tokio::test]
async fn an_agent_answers_a_rust_type_streamed_and_not() {
    let client = common::client();
    let out = client
        .run_agent("echo-agent", "Plan a trip")
        .output_type::<Trip>()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    let trip: Trip = out.content_as().unwrap();
    check(&trip);
    assert_eq!(out.content_type.as_deref(), Some("Trip"));

    let out = client
        .run_agent_stream("echo-agent", "Plan a trip")
        .output_type::<Trip>()
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    check(&out.content_as::<Trip>().unwrap());

    // An answer of another shape is a typed error that keeps the content.
    let e = out.content_as::<Other>().unwrap_err();
    assert_eq!(e.content, out.content.clone().unwrap());
}

#[tokio::test]
async fn a_team_answers_a_rust_type_streamed_and_not() {
    let client = common::client();
    let out = client
        .run_team("echo-team", "Plan a trip")
        .output_type::<Trip>()
        .await
        .unwrap()
        .into_result()
        .unwrap();
    check(&out.content_as::<Trip>().unwrap());

    let out = client
        .run_team_stream("echo-team", "Plan a trip")
        .output_type::<Trip>()
        .await
        .unwrap()
        .final_output()
        .await
        .unwrap();
    check(&out.content_as::<Trip>().unwrap());
}
