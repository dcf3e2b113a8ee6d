@clause-binding @needs-body-limit
Feature: A body over the size limit is turned away, and the server goes on serving
  A server that reads whatever it is sent can be made to hold gigabytes by any client, and one
  that falls over on a large body can be taken down by one request. The binding has an error for
  a body over the limit, PAYLOAD_TOO_LARGE; the limit itself is the implementation's, declared in
  its IXIT. A body one byte over it must be turned away whether its length is declared up front
  or only shows while it is read, must change nothing, and must leave the server serving.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "trip" with the properties "speed, heading" for Alice

  @req-binding.body-limit @req-binding.body-limit-413 @req-binding.rejected-no-state-change @req-binding.serves-after-rejection
  Rule: An over-limit body is rejected as PAYLOAD_TOO_LARGE, changes nothing, and the next request is served

    # Had the server accepted it, Alice's Client ID would now be phone B's.
    Scenario Outline: A registration <size> is rejected
      When phone B sends a registration with Alice's SIM <size>
      Then the request is rejected as PAYLOAD_TOO_LARGE
      And nothing is sent because of it
      And phone A still holds what it held before
      When the maps provider asks for Alice's Client ID
      Then the target is still serving: the answer lists exactly phone A's Client ID

      Examples:
        | size                                              |
        | one byte over the body limit, its length declared |
        | one byte over the body limit, in chunks           |

    Scenario Outline: A group from a provider <size> is rejected
      When the maps provider defines a group for Alice <size>
      Then the request is rejected as PAYLOAD_TOO_LARGE
      And nothing is sent because of it
      And phone A still holds what it held before
      When the maps provider asks for Alice's Client ID
      Then the target is still serving: the answer lists exactly phone A's Client ID

      Examples:
        | size                                              |
        | one byte over the body limit, its length declared |
        | one byte over the body limit, in chunks           |

    # A server (or a proxy in front of it) that answers while the body is still coming and then
    # closes may reset the connection before its answer is read: that counts as turned away too.
    Scenario: A group from a provider sixteen times the body limit, in chunks, is turned away
      When the maps provider defines a group for Alice sixteen times the body limit, in chunks
      Then the request is turned away: rejected as PAYLOAD_TOO_LARGE, or cut off while it was being sent
      And nothing is sent because of it
      And phone A still holds what it held before
      When the maps provider asks for Alice's Client ID
      Then the target is still serving: the answer lists exactly phone A's Client ID
