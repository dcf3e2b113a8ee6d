@clause-binding @req-sp.set-relayed
Feature: Groups and policies a Service Provider defines reach the user's devices
  The binding makes what an SP sets for a user part of that user's defined settings: it is
  passed on at once to the device or devices the user uses now, and it is what a device
  change later restores (8.2.2). An SP therefore never needs to know which device a user has.

  Scenario: A group defined for a user reaches the user's phone
    Given phone A is registered with Alice's SIM
    When the maps provider defines the group "trip" with the properties "speed, heading" for Alice
    Then phone A holds the group "trip" with the properties "speed, heading"

  Scenario: A group defined for a multi-device user reaches every device of the user
    Given Carol is a multi-device user
    And Carol is registered on phone A
    And Carol is registered on tablet B
    When the maps provider defines the group "presence" with the properties "status, mood" for Carol
    Then phone A holds the group "presence" with the properties "status, mood"
    And tablet B holds the group "presence" with the properties "status, mood"
