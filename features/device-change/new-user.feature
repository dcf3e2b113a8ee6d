@clause-8.2.2
Feature: A new user on a new device
  Clause 8.2.2 calls a user unknown to the server on a device unknown to it a special case of
  a device change: the device is reset and given whatever was already defined for the user.

  @req-dc.usecase.new-user-new-device
  Scenario: A first registration is handled as a device change
    Given Dave's SIM is in phone A
    When phone A registers
    Then phone A is given a new Client ID
    And phone A receives a group release for all groups
    And phone A receives a policy release for all policies

  @req-dc.usecase.new-user-new-device @req-dc.set-groups
  Scenario: Groups an SP defined before the user's first registration are set
    Given the maps provider has defined the group "welcome" with the properties "model, os-version" for Dave
    And Dave's SIM is in phone A
    When phone A registers
    Then phone A receives every group and policy defined for Dave

  @req-dc.unchanged-no-releases
  Scenario: A registration with nothing changed is not a device change
    Given phone A is registered with Alice's SIM
    When phone A registers again with nothing changed
    Then phone A receives no release

  @req-dc.unchanged-keeps-settings @clause-binding
  Scenario: A registration with nothing changed leaves the device's settings as they were
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "trip" with the properties "speed" for Alice
    When phone A registers again with nothing changed
    Then phone A still holds what it held before
