@clause-8.2.2
Feature: A SIM that moves to another device brings the user's settings with it
  Clause 8.2.2: when a user moves their SIM to a device the server has not associated with
  that user, the registration from the new device is a device change. The server gives the
  device a Client ID that conflicts with none allocated before, clears whatever groups and
  reporting policies the device held, and then sets up every group and policy defined for
  the user.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "location" with the properties "cell-id, gps" for Alice
    And the maps provider has defined the policy "cell-watch" reporting "cell-id" on change for Alice
    And the maps provider has defined the policy "location-hourly" reporting the group "location" every 3600 seconds for Alice

  @req-dc.new-client-id
  Scenario: The new device gets a Client ID of its own
    When Alice's SIM moves from phone A to phone B
    Then phone B is given a new Client ID

  @req-dc.release-groups
  Scenario: The new device is told to release all property groups
    When Alice's SIM moves from phone A to phone B
    Then phone B receives a group release for all groups

  @req-dc.release-policies
  Scenario: The new device is told to release all reporting policies
    When Alice's SIM moves from phone A to phone B
    Then phone B receives a policy release for all policies

  @req-dc.set-groups @req-dc.set-property-policies @req-dc.set-group-policies
  Scenario: The new device gets every group and policy defined for the user
    When Alice's SIM moves from phone A to phone B
    Then phone B receives every group and policy defined for Alice

  @req-dc.order-releases-first
  Scenario: The releases reach the new device before anything is set
    When Alice's SIM moves from phone A to phone B
    Then phone B receives the releases before any group or policy is set

  @req-dc.addressed-to-current-client
  Scenario: The old device is not sent the user's settings
    When Alice's SIM moves from phone A to phone B
    Then phone A receives nothing

  @req-dc.usecase.sim-move
  Scenario: The SIM moves to a device another user had before
    Given phone B is registered with Bob's SIM
    When Alice's SIM moves from phone A to phone B
    Then phone B receives a group release for all groups
    And phone B receives every group and policy defined for Alice
