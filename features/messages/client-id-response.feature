@clause-6.3.6.2
Feature: The DPE_Client_ID_Response table, as the server sends it
  Clause 6.3.6.2 tables the answer to a Client ID Query: its Message-Type (the table's own
  value is a slip, erratum E03), the Message-ID of the query it answers — an integer, as
  Message-IDs are on DPE-2 — and the user's Client IDs as a bag, or null when there are none.
  An SP matches answers to queries by the Message-ID, so it must come back unchanged.

  Background:
    Given phone A is registered with Alice's SIM

  @req-query.answered
  Scenario: A query from an onboarded SP is answered
    When the maps provider asks for Alice's Client ID
    Then the answer is a DPE_Client_ID_Response carrying:
      | IE           | type   | value                  |
      | Message-Type | string | DPE_Client_ID_Response |

  @req-msg.client-id-response.ies
  Scenario: Every mandatory IE of DPE_Client_ID_Response is present with its type
    When the maps provider asks for Alice's Client ID
    Then the answer is a DPE_Client_ID_Response carrying:
      | IE           | type                   | value                  |
      | Message-Type | string                 | DPE_Client_ID_Response |
      | Message-ID   | integer                | any                    |
      | Client-ID    | bag of strings or null | phone A's Client ID    |

  @req-msg.client-id-response.echo-message-id
  Scenario: The answer carries the Message-ID of the query
    When the maps provider asks for Alice's Client ID
    Then the answer is a DPE_Client_ID_Response carrying:
      | IE         | type    | value  |
      | Message-ID | integer | echoed |

  @req-msg.client-id-response.null-when-none
  Scenario: Client-ID is null for a user without a Client ID
    When the maps provider asks for Erin's Client ID
    Then the answer is a DPE_Client_ID_Response carrying:
      | IE         | type | value |
      | Client-ID  | null | null  |
