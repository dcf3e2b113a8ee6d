@clause-binding @req-sp.unauthorized-rejected
Feature: Only onboarded Service Providers are heard on DPE-2
  A Client ID and the groups set on a user's device are the user's business. The binding lets
  only SPs onboarded with a bearer token query Client IDs or set anything for a user; anyone
  else is turned away with UNAUTHORIZED, learns nothing and changes nothing.

  Background:
    Given phone A is registered with Alice's SIM

  Scenario Outline: A group set from a provider <credentials> is turned away
    When a provider <credentials> defines the group "spy" with the properties "gps" for Alice
    Then the request is rejected as UNAUTHORIZED

    Examples:
      | credentials                   |
      | without a token               |
      | with an unknown token         |
      | with a token of another scheme |

  @req-binding.rejected-no-state-change
  Scenario: A group set that was turned away reaches no device
    When a provider with an unknown token defines the group "spy" with the properties "gps" for Alice
    Then the request is rejected as UNAUTHORIZED
    And phone A receives nothing

  Scenario: A query without a token learns no Client ID
    When a provider without a token asks for Alice's Client ID
    Then the request is rejected as UNAUTHORIZED
