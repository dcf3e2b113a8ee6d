@clause-6.3.6.2 @req-query.current-associations
Feature: A Service Provider asks which Client IDs a user has
  Clause 6.3.6.2: the DPE_Client_ID_Response gives the Client IDs associated with the user
  named by the query, as the server knows them at that moment, or null when there is none.
  An SP uses the answer to address the user's devices, so an ID the user no longer holds
  must not be in it, and none of the user's devices may be missing.

  Scenario: A registered user
    Given phone A is registered with Alice's SIM
    When the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone A's Client ID

  Scenario: After a SIM move the answer names the new device only
    Given phone A is registered with Alice's SIM
    When Alice's SIM moves from phone A to phone B
    And the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone B's Client ID

  Scenario: After a SIM swap in one phone, the phone is the new user's
    Given phone A is registered with Alice's SIM
    When Bob's SIM is put in phone A in place of Alice's
    And the maps provider asks for Bob's Client ID
    Then the answer lists exactly phone A's Client ID
    When the maps provider asks for Alice's Client ID
    Then the answer says Alice has no Client ID

  Scenario: A multi-device user has a Client ID on each device
    Given Carol is a multi-device user
    And Carol is registered on phone A
    And Carol is registered on tablet B
    When the maps provider asks for Carol's Client ID
    Then the answer lists exactly phone A's and tablet B's Client IDs

  @req-msg.client-id-response.null-when-none
  Scenario: A user the server does not know has no Client ID
    When the maps provider asks for Erin's Client ID
    Then the answer says Erin has no Client ID
