@clause-binding @req-cid.report-survives-sp-outage @needs-sp-outage
Feature: A Service Provider that could not take reports for a while still gets every one
  An SP is a network service: it restarts, its load balancer turns requests away, a link goes
  down. The binding makes reports at-least-once: after a network error or any answer but 2xx,
  the server tries again with the same Message-ID. An SP that is away for a short while —
  shorter than the retry horizon the implementation declares in its IXIT — must therefore learn
  everything it missed once it is back, or it keeps pointing at a device its user has left.

  # The maps provider becomes concerned with Alice by asking for her Client ID (binding).
  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  Rule: A report survives an SP that is away for less than the retry horizon

    Scenario Outline: The maps provider <fault> for a second
      Given the maps provider <fault> for 1 second
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told, once it takes reports again, that Alice's Client ID is now phone B's

      Examples: an SP that answers badly or not at all
        | fault                          |
        | refuses every report           |
        | resets every connection        |
        | leaves every report unanswered |

      # Only an SP with a port of its own can be taken off the network while the devices stay on it.
      @needs-sp-unreachable
      Examples: an SP that cannot be reached
        | fault          |
        | is unreachable |

    Scenario: A report the maps provider turns away five times in a row
      Given the maps provider turns away a report the first 5 times it is sent
      When Alice's SIM moves from phone A to phone B
      Then the maps provider is told, once it takes reports again, that Alice's Client ID is now phone B's
