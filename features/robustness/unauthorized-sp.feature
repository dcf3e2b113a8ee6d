@clause-binding @req-sp.unauthorized-rejected
Feature: Only onboarded Service Providers are heard on DPE-2
  A Client ID and the groups set on a user's device are the user's business. The binding lets
  only SPs onboarded with a bearer token query Client IDs or set anything for a user; anyone
  else — no token, a token nobody was given, a token presented wrongly — is turned away with
  UNAUTHORIZED, learns nothing and changes nothing.

  Background:
    Given phone A is registered with Alice's SIM

  @req-binding.rejected-no-state-change
  Scenario Outline: A <message> from a provider <credentials> is turned away and changes nothing
    When a provider <credentials> sends a <message> about Alice
    Then the request is rejected as UNAUTHORIZED
    And nothing is sent because of it
    And phone A still holds what it held before

    Examples: every DPE-2 message
      | message                 | credentials                                           |
      | DPE_Client_ID_Query     | without a token                                       |
      | DPE_Group_Set           | without a token                                       |
      | DPE_Property_Policy_Set | without a token                                       |
      | DPE_Group_Policy_Set    | without a token                                       |

    Examples: every way of presenting a token wrongly
      | message                 | credentials                                           |
      | DPE_Group_Set           | with an unknown token                                 |
      | DPE_Group_Set           | with a token of another scheme                        |
      | DPE_Group_Set           | with an empty bearer token                            |
      | DPE_Group_Set           | with the token in lower-case scheme and junk after it |
      | DPE_Client_ID_Query     | with an unknown token                                 |
      | DPE_Client_ID_Query     | with the token in lower-case scheme and junk after it |
      | DPE_Property_Policy_Set | with an unknown token                                 |
      | DPE_Group_Policy_Set    | with an unknown token                                 |
