@clause-8.1.1
Feature: Registration gives every device a Client ID and the server remembers who uses it
  Clause 8.1.1: when a DPE Client starts up it registers, and the DPE Server answers a valid
  registration with the Client ID for that device. The server keeps the user identity, the
  device identity and the Client ID together, so that later DPE operations reach the right
  device and Service Providers can be told about changes.

  Rule: A valid registration is answered with the device's Client ID

    @req-reg.response-client-id
    Scenario: A phone registers for the first time
      Given Alice's SIM is in phone A
      When phone A registers
      Then phone A is given a Client ID
      And the answer echoes the registration's Message-ID

    @req-reg.response-client-id
    Scenario: Two devices of two users get two Client IDs
      Given phone A is registered with Alice's SIM
      And phone B is registered with Bob's SIM
      Then phone A's Client ID differs from phone B's

  Rule: The server retains which user uses which device under which Client ID

    @req-reg.retain-association
    Scenario: A Service Provider finds the Client ID of a registered user
      Given phone A is registered with Alice's SIM
      When the maps provider asks for Alice's Client ID
      Then the answer lists exactly phone A's Client ID

  Rule: A bad registration is rejected with an error object and changes nothing

    # The rejected registration comes from phone B with Alice's SIM: had the server accepted
    # it, Alice's Client ID would now be phone B's.
    @req-binding.rejected-no-state-change @req-binding.error-object
    Scenario Outline: A registration <defect> is rejected
      Given phone A is registered with Alice's SIM
      When phone B sends a registration with Alice's SIM <defect>
      Then the registration is rejected with an error object naming what is wrong
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

      Examples: no identity
        | defect                       |
        | with no identity at all      |
