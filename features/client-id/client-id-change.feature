@clause-8.2.3
Feature: Service Providers are told when a user's Client ID changes
  Clause 8.2.3: whenever the Client ID associated with a user changes, the DPE Server makes
  sure the Service Providers are informed with a DPE_Client_ID_Report. An SP that kept using a
  stale Client ID would reach the wrong device, or none. The binding reads "as necessary" as:
  every SP concerned with the user (one that asked for the user's Client ID or defined a
  group or policy for the user), and no other, since telling others would disclose whom the
  user is without need.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  Rule: Every SP concerned with the user is told of each change

    @req-cid.report-on-change @req-cid.report-matches-registration
    Scenario: The SIM moves to another phone
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told that Alice's Client ID is now phone B's, replacing phone A's

    # Bob's first Client ID is reported too: erratum E33, read strictly.
    @req-cid.report-on-change
    Scenario: Two SPs concerned with one user are both told
      Given the music provider has asked for Alice's Client ID
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told that Alice's Client ID is now phone B's, replacing phone A's
      And the music provider is told that Alice's Client ID is now phone B's, replacing phone A's

    @req-cid.report-on-change
    Scenario: Every later change is reported too
      When Alice's SIM moves from phone A to phone B
      And Alice's SIM moves from phone B to phone C
      Then the maps provider is told that Alice's Client ID is now phone C's, replacing phone B's

    @req-cid.report-on-change @req-cid.report-first-association
    Scenario: The user's SIM is replaced by another user's
      Given the music provider has asked for Bob's Client ID
      When Bob's SIM is put in phone A in place of Alice's
      Then the music provider is told that Bob now has phone A's Client ID
      And the maps provider is told that Alice no longer has a Client ID, replacing phone A's

    @req-cid.report-on-change @req-cid.report-matches-registration
    Scenario: A multi-device user takes up another device
      Given Carol is a multi-device user
      And Carol is registered on laptop C
      And the music provider has asked for Carol's Client ID
      When Carol starts using tablet D
      Then the music provider is told of tablet D's Client ID among Carol's current ones

    @req-cid.report-first-association
    Scenario: A user an SP is already concerned with gets a first Client ID
      Given the maps provider has defined the group "welcome" with the properties "model" for Dave
      And Dave's SIM is in phone D
      When phone D registers
      Then the maps provider is told that Dave has a first Client ID, phone D's, replacing none

  Rule: Only SPs concerned with the user are told, and only of real changes

    @req-cid.report-concerned-only
    Scenario: A Service Provider not concerned with the user is told nothing
      When Alice's SIM moves from phone A to phone B
      Then the music provider is told nothing about Alice

    @req-cid.report-only-on-change
    Scenario: A group defined for the user changes no Client ID and is not reported
      When the maps provider defines the group "trip" with the properties "speed" for Alice
      Then the maps provider is told nothing about Alice

    @req-cid.report-only-on-change
    Scenario Outline: A registration that keeps the Client ID is not reported (<policy> policy)
      When phone A registers again with nothing changed
      Then phone A keeps its Client ID
      And the maps provider is told nothing about Alice

      @clause-6.1 @req-policy.per-user-and-device.same-id
      Examples: one Client ID per user and device
        | policy              |
        | per-user-and-device |

      @clause-6.1 @req-policy.per-device.keeps-id
      Examples: one Client ID per device, forever
        | policy     |
        | per-device |

    @clause-6.1 @req-policy.per-registration.new-id @req-cid.report-on-change
    Scenario: Under a Client ID per registration, every registration is reported
      When phone A registers again with nothing changed
      Then phone A is given a new Client ID
      And the maps provider is told that Alice's Client ID is now phone A's, replacing phone A's
