@clause-binding
Feature: What the wire binding adds to a registration
  The change request tables no registration message, so the project's binding fixes it: the
  answer names the request it answers by its Message-ID, and when a client states an identity
  in its request the server goes by that statement rather than by what the network asserts.

  @req-reg.response-echoes-message-id
  Scenario: The answer names the request it answers
    Given Alice's SIM is in phone A
    When phone A registers
    Then the answer echoes the request's Message-ID

  @req-reg.identity-ie-over-header
  Scenario: The identity in the request wins over the network's
    Given Alice's SIM is in phone A
    When phone A registers with Alice's identity in the request while the network names Bob
    And the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone A's Client ID
    When the maps provider asks for Bob's Client ID
    Then the answer says Bob has no Client ID
