Feature: A SIM that moves to another device brings the user's settings with it
  Clause 8.2.2: when a user moves their SIM to a device the server has not associated with
  that user, the registration from the new device is a device change. The server gives the
  device a Client ID that conflicts with none allocated before, clears whatever groups and
  reporting policies the device held, and then sets up every group and policy defined for
  the user — releases first, since a release of everything that came after the sets would
  wipe them, and a group before the policy that reports it.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "location" with the properties "cell-id, gps" for Alice
    And the maps provider has defined the policy "cell-watch" reporting "cell-id" on change for Alice
    And the maps provider has defined the policy "location-hourly" reporting the group "location" every 3600 seconds for Alice

  @clause-8.2.2
  Rule: The device the SIM moved to is reset and given the user's settings

    @req-dc.new-client-id
    Scenario: The new device gets a Client ID of its own
      When Alice's SIM moves from phone A to phone B
      Then phone B is given a new Client ID

    @req-dc.release-groups
    Scenario: The new device is told to release all property groups
      When Alice's SIM moves from phone A to phone B
      Then phone B receives a group release for all groups

    @req-dc.release-policies
    Scenario: The new device is told to release all reporting policies
      When Alice's SIM moves from phone A to phone B
      Then phone B receives a policy release for all policies

    @req-dc.usecase.sim-move @req-dc.set-groups @req-dc.set-property-policies @req-dc.set-group-policies
    Scenario: A device never seen before gets every group and policy defined for the user
      When Alice's SIM moves from phone A to phone B
      Then phone B receives a group release for all groups
      And phone B receives a policy release for all policies
      And phone B receives every group and policy defined for Alice

    @req-dc.sets-only-defined
    Scenario: The new device is set nothing the user does not have
      When Alice's SIM moves from phone A to phone B
      Then phone B is set nothing that was not defined for Alice

    @req-dc.order-releases-first
    Scenario: The releases reach the new device before anything is set
      When Alice's SIM moves from phone A to phone B
      Then phone B receives the releases before any group or policy is set

    # Observable only where the server restores the group policy at all (restoredSettings all-defined).
    @req-dc.order-group-before-policy @req-dc.set-group-policies
    Scenario: A group reaches the new device before the policy that reports it
      When Alice's SIM moves from phone A to phone B
      Then phone B receives each group before the policy that reports it

    # A device the SIM was in before is "previously not associated" again once the SIM left it (E21).
    @req-dc.usecase.sim-move
    Scenario: The SIM comes back to the device it was in before
      When Alice's SIM moves from phone A to phone B
      And Alice's SIM moves from phone B to phone A
      Then phone A receives a group release for all groups
      And phone A receives a policy release for all policies
      And phone A receives every group and policy defined for Alice

    @req-dc.release-groups @req-dc.release-policies @req-dc.usecase.identity-change-same-device
    Scenario: A user with nothing defined still gets the releases
      Given phone B is registered with Bob's SIM
      And the music provider has defined the group "audio" with the properties "codec" for Bob
      When Erin's SIM is put in phone B in place of Bob's
      Then phone B receives a group release for all groups
      And phone B receives a policy release for all policies
      And phone B ends up holding exactly what is defined for Erin

    @req-dc.usecase.sim-move @req-dc.new-client-id
    Scenario: The SIM moves to a device another user had before
      Given phone B is registered with Bob's SIM
      When Alice's SIM is put in phone B in place of Bob's
      Then phone B is given a Client ID no other device was given
      And phone B receives a group release for all groups
      And phone B receives a policy release for all policies
      And phone B receives every group and policy defined for Alice

  @clause-binding
  Rule: Only the client now in use is addressed, under the Client ID it was given

    @req-dc.addressed-to-current-client
    Scenario: Only the new device is sent the user's settings, labelled with its Client ID
      When Alice's SIM moves from phone A to phone B
      Then everything phone B receives for the device change is labelled with its Client ID
      And phone A is sent none of Alice's settings

    # A phone another user had holds a Client ID already: a server that labels the device change
    # with that one instead of the one it has just given is told from a correct one only here.
    @req-dc.addressed-to-current-client
    Scenario: A phone another user had is addressed under the Client ID it has just been given
      Given phone B is registered with Bob's SIM
      When Alice's SIM is put in phone B in place of Bob's
      Then everything phone B receives for the device change is labelled with its Client ID

    @req-sp.relay-current-only @req-dc.previous-device-no-settings
    Scenario: A group defined after the move reaches the new device only
      When Alice's SIM moves from phone A to phone B
      And the maps provider defines the group "trip" with the properties "speed, heading" for Alice
      Then phone B holds the group "trip" with the properties "speed, heading"
      And phone A is sent none of Alice's settings
