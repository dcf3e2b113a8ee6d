Feature: The DPE_Client_ID_Report table, as the server sends it
  Clause 6.3.7 tables the report: Message-Type, an integer Message-ID (DPE-2), the user and
  the Client IDs as bags, either of which may be null. The binding adds what an SP needs to
  rely on reports delivered over an unreliable network: each report has a Message-ID of its
  own, and a report delivered again after a failure keeps it, so the SP can drop the copy.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  @clause-6.3.7 @req-msg.client-id-report.ies
  Rule: Every mandatory IE is present with its type and value

    Scenario: The report of a new Client ID
      When Alice's SIM moves from phone A to phone B
      Then the DPE_Client_ID_Report the maps provider receives about Alice carries:
        | IE           | type                   | value                |
        | Message-Type | string                 | DPE_Client_ID_Report |
        | Message-ID   | integer                | any                  |
        | User-Identity| bag of strings or null | Alice's identity     |
        | Client-ID    | bag of strings or null | phone B's Client ID  |

    Scenario: The report of a user left without a Client ID
      When Bob's SIM is put in phone A in place of Alice's
      Then the DPE_Client_ID_Report the maps provider receives about Alice carries:
        | IE           | type                   | value                |
        | Message-Type | string                 | DPE_Client_ID_Report |
        | Message-ID   | integer                | any                  |
        | User-Identity| bag of strings or null | Alice's identity     |
        | Client-ID    | bag of strings or null | null                 |

  @clause-binding
  Rule: Message-IDs tell reports apart and make retries recognisable

    @req-cid.report-message-id-unique
    Scenario: Two changes are reported under two Message-IDs
      When Alice's SIM moves from phone A to phone B
      And Alice's SIM moves from phone B to phone C
      Then the 2 reports the maps provider received about Alice carry distinct Message-IDs

    @req-cid.report-retry-keeps-message-id
    Scenario: A report the SP turned away is delivered again unchanged
      Given the maps provider turns away the first report it is sent
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is sent the refused report about Alice again, with the same Message-ID
