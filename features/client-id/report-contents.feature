@clause-6.3.7
Feature: What a Client ID Report says
  Clause 6.3.7: a DPE_Client_ID_Report names the user and the Client IDs that are valid for
  the user now, and may name those it replaces. Null has a meaning of its own: a null
  Client-ID tells the SP the user has no Client ID left; a null User-Identity tells it a
  Client ID lives on without a user. An SP acts on these words, so each must be right.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  Rule: Client-ID lists Client IDs the user holds now, the new one among them

    @req-msg.client-id-report.ids-current
    Scenario: A new Client ID after a SIM move
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told of phone B's Client ID among Alice's current ones

    @req-msg.client-id-report.ids-current
    Scenario: A multi-device user's new device
      Given Carol is a multi-device user
      And Carol is registered on laptop C
      And the maps provider has asked for Carol's Client ID
      When Carol starts using tablet D
      Then the maps provider is told of tablet D's Client ID among Carol's current ones

    @req-msg.client-id-report.all-current-ids
    Scenario: Every Client ID of a multi-device user is listed
      Given Carol is a multi-device user
      And Carol is registered on laptop C
      And the maps provider has asked for Carol's Client ID
      When Carol starts using tablet D
      Then the maps provider is told that Carol's Client IDs are now exactly laptop C's and tablet D's

  Rule: Replaces-Client-ID, when sent, names only Client IDs the user lost

    @req-msg.client-id-report.replaces
    Scenario: The replaced Client ID after a SIM move
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told that Alice's Client ID is now phone B's, replacing phone A's

  Rule: Client-ID is null when the user has no Client ID any more

    @req-msg.client-id-report.client-id-null
    Scenario: The user's SIM leaves the only phone it was in for another user's
      When Bob's SIM is put in phone A in place of Alice's
      Then the maps provider is told that Alice no longer has a Client ID, replacing phone A's

  Rule: User-Identity is null for a Client ID that lives on without a user

    @clause-6.1 @req-policy.per-device.keeps-id @req-msg.client-id-report.user-null
    Scenario: Under the per-device policy, the phone a SIM left keeps its Client ID
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told that Alice's Client ID is now phone B's, replacing phone A's
      And the maps provider is told that phone A's Client ID has no user any more
