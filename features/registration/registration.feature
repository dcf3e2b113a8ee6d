@clause-8.1.1
Feature: Registration gives every device a Client ID and the server remembers who uses it
  Clause 8.1.1: when a DPE Client starts up it registers, and the DPE Server answers a valid
  registration with the Client ID for that device. The server keeps the user identity, the
  device identity and the Client ID together, so that later DPE operations reach the right
  device and Service Providers can be told about changes. Where the identities come from is
  the server's business (the request, or the network); an IP address is not an identity,
  because addresses are reassigned and shared.

  Rule: A valid registration is answered with the device's Client ID

    @req-reg.response-client-id
    Scenario: A phone registers for the first time
      Given Alice's SIM is in phone A
      When phone A registers
      Then phone A is given a Client ID

    @req-reg.response-client-id
    Scenario: Two devices of two users get two Client IDs
      Given phone A is registered with Alice's SIM
      And phone B is registered with Bob's SIM
      Then phone A's Client ID differs from phone B's

  Rule: The server retains which user uses which device under which Client ID

    @req-reg.retain-association @req-reg.identity-from-request
    Scenario: A Service Provider finds the Client ID of a registered user
      Given phone A is registered with Alice's SIM
      And phone B is registered with Bob's SIM
      When the maps provider asks for Alice's Client ID
      Then the answer lists exactly phone A's Client ID

  Rule: Identities may come from the network instead of the request

    @req-reg.identity-from-network
    Scenario: The network names the user and the device
      Given Alice's SIM is in phone A
      When phone A registers with its identities given by the network
      Then phone A is given a Client ID
      When the maps provider asks for Alice's Client ID
      Then the answer lists exactly phone A's Client ID

  Rule: One identity is enough to be registered (erratum E17, strict reading)

    @req-reg.single-identity-accepted
    Scenario: A phone without a SIM registers with its device identity only
      When phone A registers with no SIM in it
      Then phone A is given a Client ID

    @req-reg.single-identity-accepted @req-reg.retain-association
    Scenario: A phone that does not disclose its device identity registers with its user's identity only
      Given Alice's SIM is in phone A
      When phone A registers without its device identity
      Then phone A is given a Client ID
      When the maps provider asks for Alice's Client ID
      Then the answer lists exactly phone A's Client ID

  Rule: An IP address is not an identity

    @req-reg.ip-change-not-device-change
    Scenario Outline: One phone seen from a new IP address is the same phone (<policy>)
      Given phone A is registered with Alice's SIM from the IP address "10.20.30.40"
      When phone A registers from the IP address "10.20.99.7"
      Then phone A <outcome>
      And phone A receives no release

      @clause-6.1 @req-policy.per-registration.new-id
      Examples: a Client ID per registration
        | policy           | outcome                  |
        | per-registration | is given a new Client ID |

      @clause-6.1 @req-policy.per-user-and-device.same-id
      Examples: a Client ID per user and device
        | policy              | outcome             |
        | per-user-and-device | keeps its Client ID |

      @clause-6.1 @req-policy.per-device.keeps-id
      Examples: a Client ID per device
        | policy     | outcome             |
        | per-device | keeps its Client ID |

    @req-reg.shared-ip-distinct-devices
    Scenario: Two phones behind one address are two devices
      Given phone A is registered with Alice's SIM from the IP address "192.0.2.44"
      And phone B is registered with Bob's SIM from the IP address "192.0.2.44"
      Then phone A's Client ID differs from phone B's
      When the maps provider asks for Alice's Client ID
      Then the answer lists exactly phone A's Client ID
      When the maps provider asks for Bob's Client ID
      Then the answer lists exactly phone B's Client ID
