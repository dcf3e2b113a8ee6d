@clause-6.3.6.2
Feature: A Service Provider asks which Client IDs a user has
  Clause 6.3.6.2: the DPE_Client_ID_Response gives the Client IDs currently associated with
  the user named by the query, or null when there is none.

  @req-query.current-associations
  Scenario: After a SIM move the answer names the new device only
    Given phone A is registered with Alice's SIM
    When Alice's SIM moves from phone A to phone B
    And the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone B's Client ID

  @req-msg.client-id-response.null-when-none
  Scenario: A user the server does not know has no Client ID
    When the maps provider asks for Erin's Client ID
    Then the answer says Erin has no Client ID
