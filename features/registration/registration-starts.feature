@clause-6.1
Feature: A registration starts with the client or with the server
  Clause 6.1 knows only two ways a registration begins: the client sends a request of its own
  accord (at start-up, on a schedule), or the server makes the client send one. Either way the
  request is handled the same, so a server cannot use the second way to skip what the first
  would oblige it to do. The binding gives the server DPE_Registration_Trigger for the second
  way; servers that do not offer it declare so in their ICS and the scenario is skipped.

  @req-reg.client-driven
  Scenario: A client starts its own registration, at start-up and again later
    Given Alice's SIM is in phone A
    When phone A registers
    Then phone A is given a Client ID
    When phone A registers again with nothing changed
    Then phone A is given a Client ID
    When the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone A's Client ID

  @req-reg.server-driven @clause-8.2.2 @req-dc.unchanged-no-releases
  Scenario Outline: The server makes a client register again (<policy>)
    Given phone A is registered with Alice's SIM
    When the server makes phone A register again
    Then phone A is made to register again
    And phone A <outcome>
    And phone A receives no release

    @req-policy.per-registration.new-id
    Examples: a Client ID per registration
      | policy           | outcome                  |
      | per-registration | is given a new Client ID |

    @req-policy.per-user-and-device.same-id
    Examples: a Client ID per user and device
      | policy              | outcome             |
      | per-user-and-device | keeps its Client ID |

    @req-policy.per-device.keeps-id
    Examples: a Client ID per device
      | policy     | outcome             |
      | per-device | keeps its Client ID |
