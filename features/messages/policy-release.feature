@clause-6.2.6.1
Feature: The DPE_Policy_Release table, as the server sends it
  Clause 6.2.6.1 tables the policy release: its Message-Type, the policy to release and the
  Message-ID, all mandatory and all strings on DPE-1. One release with `*` clears property
  and group reporting policies alike. The IE is spelled `Policy-ID` as in the table (erratum
  E02 governs the spelling of the signature).

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the policy "cell-watch" reporting "cell-id" on change for Alice

  @req-msg.policy-release.ies
  Scenario: Every mandatory IE of DPE_Policy_Release is present with its type
    When Alice's SIM moves from phone A to phone B
    Then the DPE_Policy_Release phone B receives carries:
      | IE           | type   | value              |
      | Message-Type | string | DPE_Policy_Release |
      | Policy-ID    | string | any                |
      | Message-ID   | string | any                |

  @req-msg.policy-release.wildcard @clause-8.2.2 @req-dc.release-one-message
  Scenario: All policies are released with one message whose Policy-ID is "*"
    When Alice's SIM moves from phone A to phone B
    Then phone B is told to release all its policies with one DPE_Policy_Release
