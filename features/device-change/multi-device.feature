Feature: A multi-device user who takes up another device
  Clause 8.2.2: a user who uses several devices may start using one the server has not
  associated with them. That device is brought to the user's settings; the devices already
  in use stay associated with the user (binding: a SIP identity may be on several devices,
  unlike a SIM, which is in one device at a time).

  Background:
    Given Carol is a multi-device user
    And Carol is registered on phone A
    And the maps provider has defined the group "presence" with the properties "status" for Carol

  @clause-8.2.2 @req-dc.usecase.multi-device-new-device
  Scenario: The new device is brought to the user's settings
    When Carol starts using tablet B
    Then tablet B receives a group release for all groups
    And tablet B receives a policy release for all policies
    And tablet B receives every group and policy defined for Carol

  @clause-binding @req-dc.multi-device.keeps-earlier @clause-6.3.6.2 @req-query.current-associations
  Scenario: The device already in use is left alone and stays associated with the user
    When Carol starts using tablet B
    Then phone A still holds everything defined for Carol
    When the maps provider asks for Carol's Client ID
    Then the answer lists exactly phone A's and tablet B's Client IDs
