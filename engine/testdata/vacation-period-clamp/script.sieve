require ["vacation","vacation-seconds"];
# rule:[Absence courte]
if true
{
	vacation :seconds 3600 :subject "Absence ce matin" "Je suis absente ce matin, je vous réponds cet après-midi.";
}
