@clause-8.2.3
Feature: Service Providers are told when a user's Client ID changes
  Clause 8.2.3: whenever the Client ID associated with a user changes, the DPE Server makes
  sure the Service Providers are informed with a DPE_Client_ID_Report. The binding reads
  "as necessary" as: every SP concerned with the user (one that asked for the user's Client
  ID or defined a group or policy for the user), and no other.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  @req-cid.report-on-change @req-msg.client-id-report.replaces
  Scenario: The SIM moves to another phone
    When Alice's SIM moves from phone A to phone B
    Then the maps provider is told that Alice's Client ID is now phone B's, replacing phone A's

  @req-cid.report-concerned-only
  Scenario: A Service Provider not concerned with the user is told nothing
    When Alice's SIM moves from phone A to phone B
    Then the music provider is told nothing about Alice

  @req-cid.report-on-change
  Scenario: The user's SIM is replaced by another user's
    Given the music provider has asked for Bob's Client ID
    When Bob's SIM is put in phone A in place of Alice's
    Then the music provider is told that Bob now has phone A's Client ID
    And the maps provider is told that Alice no longer has a Client ID, replacing phone A's

  @req-cid.report-only-on-change
  Scenario Outline: A registration that keeps the Client ID is not reported (<policy> policy)
    When phone A registers again with nothing changed
    Then phone A keeps its Client ID
    And the maps provider is told nothing about Alice

    @req-policy.per-user-and-device.same-id
    Examples: one Client ID per user and device
      | policy              |
      | per-user-and-device |

    @req-policy.per-device.keeps-id
    Examples: one Client ID per device, forever
      | policy     |
      | per-device |

  @req-policy.per-registration.new-id @req-cid.report-on-change
  Scenario: Under a Client ID per registration, every registration is reported
    When phone A registers again with nothing changed
    Then phone A is given a new Client ID
    And the maps provider is told that Alice's Client ID is now phone A's, replacing phone A's
