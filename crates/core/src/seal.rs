//! The seal of the area crates' extension traits.

/// Declares the seal of an area crate's extension traits: a private module `sealed` with a
/// trait `Sealed` that only [`AgentOsClient`](crate::AgentOsClient) implements. For area
/// crates, outside semver.
///
/// Write it once at the root of the area crate and make every extension trait a subtrait of
/// `sealed::Sealed`. Another crate can neither name `sealed::Sealed` (its module is private)
/// nor implement it, so it cannot implement the extension trait either, and adding a method
/// to the trait is not a breaking change.
///
/// ```ignore
/// agentos_core::seal_extension_traits!();
///
/// /// The memory calls of an [`AgentOsClient`].
/// ///
/// /// Sealed: only `AgentOsClient` implements it, so new calls can be added in a minor release.
/// pub trait MemoryExt: sealed::Sealed { /* ... */ }
/// ```
#[macro_export]
macro_rules! seal_extension_traits {
    () => {
        mod sealed {
            /// The seal of this crate's extension traits (a private module: unnameable, and so
            /// not implementable, outside this crate).
            #[diagnostic::on_unimplemented(
                message = "the AgentOS extension traits are sealed: `{Self}` cannot implement them",
                label = "only `AgentOsClient` implements the extension traits",
                note = "they are sealed so that adding a call to an area is not a breaking change; wrap an `AgentOsClient` and call its methods instead"
            )]
            pub trait Sealed {}

            impl Sealed for $crate::AgentOsClient {}
        }
    };
}
