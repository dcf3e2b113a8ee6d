@clause-6.1
Feature: How the server hands out Client IDs: the three policies of 6.1
  Clause 6.1 lets a DPE Server give out Client IDs in one of three ways: a new one for every
  registration, one for each pairing of user and device, or one for each device for good.
  Which one a server follows is its deployment choice, declared in its ICS; each example
  below belongs to one policy and is skipped, with the reason, for servers that declared
  another. Whatever the policy, a Client ID identifies one device: none is ever handed to a
  second device.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has asked for Alice's Client ID

  Scenario Outline: A registration with nothing changed (<policy>)
    When phone A registers again with nothing changed
    Then phone A <outcome>

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

  Scenario Outline: Another user's SIM in the same phone (<policy>)
    When Bob's SIM is put in phone A in place of Alice's
    Then phone A <outcome>

    @req-policy.per-registration.new-id
    Examples: a Client ID per registration
      | policy           | outcome                  |
      | per-registration | is given a new Client ID |

    @req-policy.per-user-and-device.new-id-on-change
    Examples: a Client ID per user and device
      | policy              | outcome                  |
      | per-user-and-device | is given a new Client ID |

    @req-policy.per-device.keeps-id
    Examples: a Client ID per device
      | policy     | outcome             |
      | per-device | keeps its Client ID |

  Scenario Outline: The SIM moves to a phone another user had (<policy>)
    Given phone B is registered with Bob's SIM
    When Alice's SIM is put in phone B in place of Bob's
    Then phone B <outcome>

    @req-policy.per-registration.new-id
    Examples: a Client ID per registration
      | policy           | outcome                  |
      | per-registration | is given a new Client ID |

    @req-policy.per-user-and-device.new-id-on-change
    Examples: a Client ID per user and device
      | policy              | outcome                  |
      | per-user-and-device | is given a new Client ID |

    @req-policy.per-device.keeps-id
    Examples: a Client ID per device
      | policy     | outcome             |
      | per-device | keeps its Client ID |

  Rule: Under the per-device policy the Client ID stays with the device, not with its user

    @req-policy.per-device.previous-user-loses-id
    Scenario: The previous user of a phone loses its Client ID and is told so
      When Bob's SIM is put in phone A in place of Alice's
      Then phone A keeps its Client ID
      And the maps provider is told that Alice no longer has a Client ID, replacing phone A's
      When the maps provider asks for Alice's Client ID
      Then the answer says Alice has no Client ID

    @req-policy.per-device.previous-user-loses-id @req-cid.report-first-association @clause-8.2.3
    Scenario: The new user of the phone takes its Client ID over
      Given the music provider has asked for Bob's Client ID
      When Bob's SIM is put in phone A in place of Alice's
      Then the music provider is told that Bob now has phone A's Client ID
      When the music provider asks for Bob's Client ID
      Then the answer lists exactly phone A's Client ID

  Rule: Whatever the policy, a Client ID never passes to another device

    @req-reg.client-id-unique
    Scenario: SIMs swapped back and forth between two phones
      Given phone B is registered with Bob's SIM
      When Alice's SIM is put in phone B in place of Bob's
      And Bob's SIM is put in phone A
      And Alice's SIM is put in phone A in place of Bob's
      And Bob's SIM is put in phone B
      Then no Client ID was given to two devices

    @req-reg.client-id-unique
    Scenario: A multi-device user's devices each have a Client ID of their own
      Given Carol is a multi-device user
      And Carol is registered on laptop C
      When Carol starts using tablet D
      Then no Client ID was given to two devices
