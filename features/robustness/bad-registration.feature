@clause-binding @req-binding.rejected-no-state-change @req-binding.error-object
Feature: A bad registration is rejected with an error object and changes nothing
  A DPE Server receives requests from clients it cannot trust to be correct. The binding makes
  it answer each bad one with an error object that names what is wrong, so the client's
  developer can fix it, and keep its state as it was, so a broken request can never take a
  user's Client ID away from the device the user really uses.

  # The rejected registration comes from phone B with Alice's SIM: had the server accepted
  # it, Alice's Client ID would now be phone B's.
  Scenario Outline: A registration <defect> is rejected
    Given phone A is registered with Alice's SIM
    When phone B sends a registration with Alice's SIM <defect>
    Then the registration is rejected with an error object naming what is wrong
    And nothing is sent because of it
    When the maps provider asks for Alice's Client ID
    Then the answer lists exactly phone A's Client ID

    Examples: malformed bodies
      | defect                       |
      | that is not JSON             |
      | that is a JSON array         |
      | sent as plain text           |

    Examples: missing or mistyped IEs
      | defect                       |
      | without a Message-Type       |
      | of an unknown Message-Type   |
      | without a Message-ID         |
      | with a numeric Message-ID    |
      | without a Notify-URI         |
      | with a numeric User-Identity |

    @req-reg.no-identity-rejected
    Examples: no identity
      | defect                       |
      | with no identity at all      |
