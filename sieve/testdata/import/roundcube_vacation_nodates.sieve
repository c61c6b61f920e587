require ["vacation"];
# rule:[Absence permanente]
vacation :days 3 :subject "Absent" :from "cabinet@medecin.mssante.fr" text:
Bonjour,

Le cabinet est fermé jusqu'à nouvel ordre.
-- 
Le secrétariat
.
;
