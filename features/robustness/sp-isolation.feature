@clause-binding
Feature: One Service Provider cannot change what another defined
  Any onboarded SP may define groups and policies for any user, and a client holds one set of
  group ids and one of policy ids. If a second SP could set an id the first SP defined for the
  same user, or hang its own reporting policy on the first SP's group, it could rewrite the
  first SP's service on the user's devices — and every device change would restore the rewrite.
  The binding does not say this in words, so these rules are derived and warn; the reference
  server turns such a set away with 409 CONFLICT and keeps the first SP's definition.

  Background:
    Given phone A is registered with Alice's SIM
    And the maps provider has defined the group "trip" with the properties "speed, heading" for Alice
    And the maps provider has defined the policy "p-speed" reporting "speed" on change for Alice
    And the maps provider has defined the policy "p-trip" reporting the group "trip" every 60 seconds for Alice
    And the music provider has defined the group "audio" with the properties "codec" for Alice

  @req-sp.isolation.conflict-rejected @req-sp.isolation.keeps-other-sps-settings
  Rule: What the maps provider defined stays the maps provider's

    Scenario Outline: The music provider sets the maps provider's <what> "<id>"
      When the music provider defines <its own version> for Alice
      Then the music provider is turned away, since the maps provider defined that for Alice
      And phone A still holds the maps provider's <what> "<id>"
      When Alice's SIM moves from phone A to phone B
      Then phone B holds the maps provider's <what> "<id>"

      Examples:
        | what   | id      | its own version                                                  |
        | group  | trip    | the group "trip" with the properties "volume"                    |
        | policy | p-speed | the policy "p-speed" reporting "volume" on change                |
        | policy | p-trip  | the policy "p-trip" reporting the group "audio" every 30 seconds |

    Scenario: The music provider hangs a policy of its own on the maps provider's group
      When the music provider defines the policy "p-music" reporting the group "trip" every 30 seconds for Alice
      Then the music provider is turned away, since the maps provider defined that for Alice
      And phone A holds no policy "p-music" on the maps provider's group

  @req-sp.set-relayed
  Rule: Each provider may still change what it defined itself

    Scenario: The maps provider changes its own group
      When the maps provider defines the group "trip" with the properties "speed" for Alice
      Then phone A holds the group "trip" with the properties "speed"

  @clause-8.2.2 @req-dc.set-groups
  Rule: Groups of two providers with different ids live side by side

    Scenario: Both providers' groups are restored after a SIM move
      When Alice's SIM moves from phone A to phone B
      Then phone B receives every group and policy defined for Alice
