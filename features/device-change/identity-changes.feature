@clause-8.2.2
Feature: A new user identity on the same device is a device change
  Clause 8.2.2 treats a user changing identity directly on a device like a SIM that moves:
  the device must lose the settings of the previous user and get those of the new one, or
  the new user would be reported on under policies meant for someone else.

  Background:
    Given phone A is registered with Alice's SIM
    And the music provider has defined the group "audio" with the properties "codec, volume" for Bob

  @req-dc.usecase.identity-change-same-device
  Scenario: Another SIM in the same phone
    When Bob's SIM is put in phone A in place of Alice's
    Then phone A receives a group release for all groups
    And phone A receives a policy release for all policies
    And phone A receives every group and policy defined for Bob

  @req-dc.new-client-id
  Scenario: The same phone with another user holds no other device's Client ID
    When Bob's SIM is put in phone A in place of Alice's
    Then phone A is given a Client ID no other device was given
