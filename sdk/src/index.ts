// Public entry point of @bttkit/sdk. Each module re-exported here is documented in sdk/README.md.
export {};
