@clause-6.2.3.3
Feature: The DPE_Group_Release table, as the server sends it
  Clause 6.2.3.3 tables the group release: its Message-Type, the group to release and the
  Message-ID, all mandatory and all strings on DPE-1. The value `*` stands for every group, so
  a server that means "all" says so once instead of listing groups the client may not even
  have. The IE is spelled `Group_ID` as in the table (erratum E01 governs the other spelling).

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "location" with the properties "cell-id" for Alice

  @req-msg.group-release.ies
  Scenario: Every mandatory IE of DPE_Group_Release is present with its type
    When Alice's SIM moves from phone A to phone B
    Then the DPE_Group_Release phone B receives carries:
      | IE           | type   | value             |
      | Message-Type | string | DPE_Group_Release |
      | Group_ID     | string | any               |
      | Message-ID   | string | any               |

  @req-msg.group-release.wildcard @clause-8.2.2 @req-dc.release-one-message
  Scenario: All groups are released with one message whose Group_ID is "*"
    When Alice's SIM moves from phone A to phone B
    Then phone B is told to release all its groups with one DPE_Group_Release
