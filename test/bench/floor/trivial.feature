# The floor of `npm run bench` (scripts/bench.ts): one scenario that does nothing, loaded with the
# suite's loaders and step code, so the bench can tell cucumber-js's own cost from the suite's.
@bench-floor
Feature: Bench floor

  Scenario: nothing happens
    Given the bench floor scenario runs
